package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.testing.LogCapture;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Peers that reset while a StreamServer handler reads: counted and logged at DEBUG, not as handler failures. */
class StreamServerPeerFailureTest {
    @Test
    void resetsAreCountedAndLoggedAtDebugWhileAHandlerBugIsStillAnError() throws Exception {
        int resets = 1000;
        Semaphore reading = new Semaphore(0);
        CompletableFuture<StreamServer> up = new CompletableFuture<>();
        try (LogCapture log = new LogCapture(Level.ALL)) {
            Thread hub = new Thread(() -> Coop.run(() -> {
                StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, peer) -> {
                    InputStream in = socket.getInputStream();
                    int first = in.read();
                    if (first == 'B') throw new IllegalStateException("a handler bug, on purpose");
                    reading.release();
                    in.readAllBytes(); // the client resets while this waits
                }).start();
                up.complete(server);
                server.serveForever();
                return null;
            }), "test-stream-hub");
            hub.start();
            StreamServer server = up.get(10, TimeUnit.SECONDS);
            InetSocketAddress at = server.address();
            for (int i = 0; i < resets; i++) {
                Socket c = new Socket(at.getAddress(), at.getPort());
                c.getOutputStream().write("hello".getBytes());
                assertTrue(reading.tryAcquire(10, TimeUnit.SECONDS), "the handler is reading connection " + i);
                c.setSoLinger(true, 0);
                c.close(); // RST
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (server.peerFailureCount() < resets && System.nanoTime() < until) Thread.sleep(5);
            assertEquals(resets, server.peerFailureCount());
            assertEquals(List.of(), log.atLeast(Level.WARNING).stream().map(LogRecord::getMessage).toList());
            assertEquals(resets, log.snapshot().stream().filter(r -> r.getLevel() == Level.FINE
                    && r.getMessage().contains("ended by the peer")).count());

            try (Socket c = new Socket(at.getAddress(), at.getPort())) {
                c.getOutputStream().write('B');
                c.setSoTimeout(5000);
                assertEquals(-1, c.getInputStream().read(), "the failing connection is closed");
            }
            until = System.nanoTime() + 5_000_000_000L;
            while (log.atLeast(Level.SEVERE).isEmpty() && System.nanoTime() < until) Thread.sleep(5);
            List<LogRecord> severe = log.atLeast(Level.SEVERE);
            assertEquals(1, severe.size());
            assertEquals("a handler bug, on purpose", severe.get(0).getThrown().getMessage());
            assertEquals(resets, server.peerFailureCount());
            server.hub().post(() -> Coop.spawn(() -> server.stop(Duration.ofMillis(100))));
            hub.join(10_000);
        }
    }
}
