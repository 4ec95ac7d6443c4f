package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpHandler;
import io.coop.testing.LogCapture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Clients that reset their connection mid-body: normal traffic, counted and logged at DEBUG only. */
class HttpPeerFailureTest {
    @Test
    void resetsMidBodyAreCountedAndLoggedAtDebugWhileAHandlerBugIsStillSevere() throws Exception {
        int resets = 2000;
        Semaphore reading = new Semaphore(0);
        HttpHandler handler = x -> {
            if (x.getRequestURI().getPath().equals("/bug")) throw new IllegalStateException("a handler bug, on purpose");
            InputStream in = x.getRequestBody();
            byte[] first = new byte[64];
            in.read(first);
            reading.release();
            byte[] rest = in.readAllBytes(); // the client resets while this waits
            x.sendResponseHeaders(200, -1);
            if (rest.length < 0) throw new AssertionError();
        };
        byte[] head = ("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100))
                .getBytes(StandardCharsets.US_ASCII);
        try (LogCapture log = new LogCapture(Level.ALL); RunningServer s = RunningServer.start(handler)) {
            for (int i = 0; i < resets; i++) {
                Socket c = new Socket(s.address.getAddress(), s.address.getPort());
                OutputStream out = c.getOutputStream();
                out.write(head);
                out.flush();
                assertTrue(reading.tryAcquire(10, TimeUnit.SECONDS), "the handler is reading the body of connection " + i);
                c.setSoLinger(true, 0);
                c.close(); // RST
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (s.server.peerFailureCount() < resets && System.nanoTime() < until) Thread.sleep(5);
            assertEquals(resets, s.server.peerFailureCount(), "every reset is counted once");
            assertEquals(List.of(), messages(log.atLeast(Level.WARNING)), "resets log nothing at WARNING or above");
            long debug = log.snapshot().stream().filter(r -> r.getLevel() == Level.FINE && r.getMessage().contains("ended by the peer")).count();
            assertEquals(resets, debug, "one DEBUG record per reset");

            try (RawClient c = new RawClient(s.address)) {
                c.send("GET /bug HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals(500, r.status());
                assertTrue(r.text().contains("the handler failed"), r.text());
                assertFalse(r.text().contains("on purpose"), "the exception's text stays in the log: " + r.text());
            }
            List<LogRecord> severe = log.atLeast(Level.SEVERE);
            assertEquals(1, severe.size(), messages(severe).toString());
            assertTrue(severe.get(0).getMessage().contains("HTTP handler failed on GET /bug"), severe.get(0).getMessage());
            assertEquals("a handler bug, on purpose", severe.get(0).getThrown().getMessage());
            assertEquals(resets, s.server.peerFailureCount());
        }
    }

    static List<String> messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }
}
