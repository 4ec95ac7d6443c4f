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
 * must still let the executor, and the clients, run. The same program without the agent gives
 * the figures to compare and, when it loses no echo, the same echoes.
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
        // without the agent a handshake or an echo is lost now and then (Java-WebSocket's TLS server,
        // about one run in six here): a client waits 10 s for each, and for its close, then stops
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(60)).run("apps.WebSocketTlsApp", args), "apps.WebSocketTlsApp (no agent)");
        Apps.printFigures("Java-WebSocket TLS", r, plain, "startMs", "connectMs", "messagesPerSecond", "osThreads", "processOsThreads", "stopMs");
        // under the agent every echo arrives, in order, and every close handshake completes
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals(String.valueOf(CLIENTS), r.field("opened"), r::toString);
        assertEquals("0", r.field("lostConnects"), r::toString);
        assertEquals("0", r.field("lostEchoes"), r::toString);
        assertEquals(String.valueOf(CLIENTS * MESSAGES), r.field("right"), r::toString);
        assertEquals(String.valueOf(CLIENTS * MESSAGES), r.field("echoed"), r::toString);
        assertEquals("0", r.field("closeTimeouts"), r::toString);
        // the same program without it: the baseline, whose own losses are reported, not failed
        assertEquals("0", plain.field("failures"), plain::toString);
        if ("0".equals(plain.field("lostConnects")) && "0".equals(plain.field("lostEchoes"))) {
            assertEquals(String.valueOf(CLIENTS), plain.field("opened"), plain::toString);
            assertEquals(String.valueOf(CLIENTS * MESSAGES), plain.field("right"), plain::toString);
            Apps.assertSameResponses(r, plain);
        } else {
            System.out.println("[coop-it] WebSocketTlsIT: without the agent " + plain.field("lostConnects")
                    + " handshake(s) and " + plain.field("lostEchoes") + " echo(es) did not complete in 10 s: "
                    + plain.field("right") + " of " + CLIENTS * MESSAGES + " echoes answered");
        }
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
