package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * Seed: "switching automatically on blocking I/O" with monkey-patched {@code urlopen}: three
 * pages fetched at once with the JDK's plain blocking {@code URL.openStream()}. Run it with
 * {@code -javaagent:coop.jar}, which makes the socket waits inside cooperative ones on the hub;
 * the three fetches then overlap on one OS thread, and the run takes about as long as the
 * slowest page. (It also runs without the agent: a greenlet is a virtual thread, and a blocking
 * socket parks it; the waits then go through the JDK's own poller threads instead of the hub.)
 * The sites are {@link LocalWeb}'s stand-ins, so no network is needed.
 */
public final class FetchUrls {

    static void f(String url) throws Exception {
        System.out.println("GET: " + url);
        try (InputStream resp = URI.create(url).toURL().openStream()) {
            byte[] data = resp.readAllBytes();
            System.out.printf("%d bytes received from %s.%n", data.length, url);
        }
    }

    public static void main(String[] args) throws Exception {
        try (LocalWeb web = LocalWeb.start()) {
            long start = System.nanoTime();
            List<Greenlet<?>> jobs = List.of(
                    Coop.spawn(() -> { f(web.url("www.python.org")); return null; }),
                    Coop.spawn(() -> { f(web.url("www.yahoo.com")); return null; }),
                    Coop.spawn(() -> { f(web.url("github.com")); return null; }));
            Coop.joinAll(jobs);
            System.out.printf("run time is %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
    }
}
