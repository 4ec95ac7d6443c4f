package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket server over TLS (Java-WebSocket's NIO server, whose TLS channel hands the engine's
 * delegated tasks to an executor thread and keeps its selector loop writing until they are done)
 * and 50 blocking WebSocket clients, in one unmodified program under {@code -javaagent:coop.jar}
 * with every area patched. The selector loop finds work at every turn during the handshakes: it
 * must still let the executor, and the clients, run. The same program without the agent echoes
 * the same and gives the figures to compare.
 */
class WebSocketTlsIT {
    private static final int CLIENTS = 50;
    private static final int MESSAGES = 20;

    @Test
    void fiftyWssClientsEchoOnOneOsThread(@TempDir Path dir) throws Exception {
        System.out.println("[coop-it] WebSocketTlsIT: Java-WebSocket server and clients over TLS in one program");
        Path keystore = dir.resolve("server.p12");
        String password = "coop-it-secret";
        AsyncTlsIT.keytool(keystore, password);
        String[] args = {keystore.toString(), password, String.valueOf(CLIENTS), String.valueOf(MESSAGES)};
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.WebSocketTlsApp", args), "apps.WebSocketTlsApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.WebSocketTlsApp", args), "apps.WebSocketTlsApp (no agent)");
        Apps.printFigures("Java-WebSocket TLS", r, plain, "startMs", "connectMs", "messagesPerSecond", "osThreads", "processOsThreads", "stopMs");
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals(String.valueOf(CLIENTS), run.field("opened"), run::toString);
            assertEquals(String.valueOf(CLIENTS * MESSAGES), run.field("right"), run::toString);
            assertEquals(String.valueOf(CLIENTS * MESSAGES), run.field("echoed"), run::toString);
        }
        Apps.assertSameResponses(r, plain);
        // every close handshake completes under the agent; without it a lost one is only reported
        assertEquals("0", r.field("closeTimeouts"), r::toString);
        if (!"0".equals(plain.field("closeTimeouts"))) {
            System.out.println("[coop-it] WebSocketTlsIT: without the agent " + plain.field("closeTimeouts") + " close handshake(s) did not complete in 10 s");
        }
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        assertEquals("none", r.field("wsOsThreads"), () -> "the server's selector, workers and TLS task executor run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        // 50 handshakes at once, both ends' CPU work on one OS thread (about 1.5 s without the agent on 2 cores)
        Apps.assertWithin(r, "connectMs", 0, 15_000, "50 TLS WebSocket handshakes");
        Apps.assertWithin(r, "messagesMs", 0, 10_000, "1,000 echoes");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "the server stops");
    }
}
