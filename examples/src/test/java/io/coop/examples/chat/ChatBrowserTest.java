package io.coop.examples.chat;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The chat end to end in headless Chromium: two browser pages in the same room exchange messages
 * through the server (each page long-polls with fetch; the server holds each poll in a greenlet).
 */
class ChatBrowserTest {
    static final String MESSAGES = "Array.from(document.querySelectorAll('#messages li')).map(l => l.textContent).join('|')";

    @Test
    void twoBrowserPagesExchangeAMessage() throws Exception {
        Assumptions.assumeTrue(DevTools.binary() != null,
                "Chromium is not installed (apt-get install -y chromium): the browser test is skipped; ChatHttpTest covers the chat over HTTP");
        try (ChatRunning chat = new ChatRunning(Duration.ofSeconds(10)); DevTools browser = new DevTools()) {
            try (DevTools.Page bob = browser.open(chat.base + "/topic1/bob"); DevTools.Page alice = browser.open(chat.base + "/topic1/alice")) {
                bob.await("document.readyState === 'complete' && typeof say === 'function'", Duration.ofSeconds(20));
                alice.await("document.readyState === 'complete' && typeof say === 'function'", Duration.ofSeconds(20));
                assertEquals("topic1", bob.eval("document.querySelector('h1').textContent"));

                // alice types into the form and submits it, as a person would
                alice.eval("(() => { const f = document.getElementById('say'); f.message.value = 'hello bob <3'; f.requestSubmit(); return 'sent'; })()");
                bob.await(MESSAGES + ".includes('alice:hello bob <3')", Duration.ofSeconds(15));
                alice.await(MESSAGES + ".includes('alice:hello bob <3')", Duration.ofSeconds(15));

                bob.eval("say('hi alice').then(r => r.status)");
                alice.await(MESSAGES + ".includes('bob:hi alice')", Duration.ofSeconds(15));
                assertEquals("alice:hello bob <3|bob:hi alice", alice.eval(MESSAGES), "in order, text not HTML");
                assertEquals("0", bob.eval("document.querySelectorAll('#messages li b').length"), "no markup injected");
            }
        }
    }
}
