package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * must still let the executor, and the clients, run.
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
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(45))
                .run("apps.WebSocketTlsApp", keystore.toString(), password, String.valueOf(CLIENTS), String.valueOf(MESSAGES)), "apps.WebSocketTlsApp");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals(String.valueOf(CLIENTS), r.field("opened"), r::toString);
        assertEquals(String.valueOf(CLIENTS * MESSAGES), r.field("right"), r::toString);
        assertEquals(String.valueOf(CLIENTS * MESSAGES), r.field("echoed"), r::toString);
        assertEquals("none", r.field("wsOsThreads"), () -> "the server's selector, workers and TLS task executor run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        // 50 handshakes at once, both ends' CPU work on one OS thread (about 1.5 s without the agent on 2 cores)
        Apps.assertWithin(r, "connectMs", 0, 15_000, "50 TLS WebSocket handshakes");
        Apps.assertWithin(r, "messagesMs", 0, 10_000, "1,000 echoes");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "the server stops");
    }
}
