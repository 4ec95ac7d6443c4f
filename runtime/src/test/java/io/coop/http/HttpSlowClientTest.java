package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpHandler;
import io.coop.testing.Elapsed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Clients that send or read too slowly, and more clients than the server takes: bounded, with real trickling sockets. */
class HttpSlowClientTest {
    static final byte[] MIB = new byte[1024 * 1024];

    /** Handlers record how long each slow exchange lasted before the server gave up on it. */
    static final class Recorder {
        final Map<String, List<Long>> millis = new ConcurrentHashMap<>();

        void add(String kind, Elapsed t) {
            millis.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(t.millis());
        }

        int count(String kind) {
            return millis.getOrDefault(kind, List.of()).size();
        }
    }

    static HttpHandler app(Recorder rec) {
        return x -> {
            String path = x.getRequestURI().getPath();
            Elapsed t = new Elapsed();
            if (path.equals("/upload")) {
                try {
                    x.getRequestBody().readAllBytes();
                } catch (IOException e) {
                    rec.add("upload", t);
                    throw e;
                }
                x.sendResponseHeaders(200, -1);
            } else if (path.equals("/big")) {
                x.sendResponseHeaders(200, 64L * MIB.length);
                try (OutputStream o = x.getResponseBody()) {
                    for (int i = 0; i < 64; i++) o.write(MIB);
                } catch (IOException e) {
                    rec.add("big", t);
                    throw e;
                }
            } else {
                byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
                x.sendResponseHeaders(200, ok.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(ok);
                }
            }
        };
    }

    /** A well-formed keep-alive client served all along; returns its slowest answer in ms, or fails. */
    static Thread normalClient(RunningServer s, AtomicBoolean stop, AtomicInteger served, AtomicLong slowest, List<Throwable> failures) {
        Thread t = new Thread(() -> {
            try (RawClient c = new RawClient(s.address)) {
                while (!stop.get()) {
                    Elapsed e = new Elapsed();
                    c.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertEquals("ok", c.read().text());
                    slowest.accumulateAndGet(e.millis(), Math::max);
                    served.incrementAndGet();
                    Thread.sleep(50);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "normal-client");
        t.start();
        return t;
    }

    @Test
    void withTheDefaultsTricklingSendersAndSlowReadersAreClosedWhileANormalClientIsServed() throws Exception {
        int each = 20;
        Recorder rec = new Recorder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (RunningServer s = RunningServer.start(app(rec))) {
            AtomicInteger served = new AtomicInteger();
            AtomicLong slowest = new AtomicLong();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Thread normal = normalClient(s, stop, served, slowest, failures);
            for (int i = 0; i < each; i++) {
                Socket trickle = new Socket(s.address.getAddress(), s.address.getPort());
                Socket reader = new Socket(s.address.getAddress(), s.address.getPort());
                sockets.add(trickle);
                sockets.add(reader);
                threads.add(new Thread(() -> { // a body at 1 byte every 2 s
                    try {
                        OutputStream out = trickle.getOutputStream();
                        out.write("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        while (!stop.get()) {
                            out.write('x');
                            out.flush();
                            Thread.sleep(2000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed by the server
                    }
                }));
                threads.add(new Thread(() -> { // a response read at 1 KiB every 2 s
                    try {
                        reader.getOutputStream().write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        InputStream in = reader.getInputStream();
                        while (!stop.get()) {
                            if (in.readNBytes(1024).length < 1024) break;
                            Thread.sleep(2000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed by the server
                    }
                }));
            }
            threads.forEach(Thread::start);
            Elapsed t = new Elapsed();
            while ((rec.count("upload") < each || rec.count("big") < each) && t.millis() < 90_000) Thread.sleep(100);
            long allClosed = t.millis();
            stop.set(true);
            normal.join();
            System.out.println("slow clients: trickling senders ended after " + rec.millis.get("upload") + " ms; slow readers after "
                    + rec.millis.get("big") + " ms; all " + 2 * each + " by " + allClosed + " ms; the normal client was served "
                    + served.get() + " times meanwhile, its slowest answer " + slowest.get() + " ms");
            assertEquals(each, rec.count("upload"), "every trickling sender was stopped: " + rec.millis);
            assertEquals(each, rec.count("big"), "every slow reader was stopped: " + rec.millis);
            for (long ms : rec.millis.get("upload")) assertTrue(ms >= 9_000 && ms < 15_000, "a sender at 0.5 bytes/s ends near the 10 s grace: " + ms);
            for (long ms : rec.millis.get("big")) assertTrue(ms < 40_000, "a reader at 512 bytes/s ends within 40 s: " + ms);
            assertEquals(List.of(), failures);
            assertTrue(served.get() > 50, "the normal client kept being served: " + served.get());
            assertTrue(slowest.get() < 1000, "and promptly: " + slowest.get() + " ms");
            long until = System.nanoTime() + 5_000_000_000L;
            while (s.server.connectionCount() > 0 && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(0, s.server.connectionCount(), "no slow connection is left open");
        } finally {
            stop.set(true);
            for (Socket so : sockets) so.close();
            for (Thread th : threads) th.join(5000);
        }
    }

    @Test
    void theRequestTimeoutBoundsAWholeBodyThatKeepsUpWithTheMinimumRate() throws Exception {
        Recorder rec = new Recorder();
        try (RunningServer s = RunningServer.start(app(rec), srv -> srv.setRequestTimeout(Duration.ofMillis(1500)));
                RawClient c = new RawClient(s.address)) {
            Elapsed t = new Elapsed();
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
            try {
                for (int i = 0; i < 100 && !c.socket.isClosed(); i++) { // 10 KiB/s: above the minimum rate
                    c.send("x".repeat(1024));
                    Thread.sleep(100);
                    if (c.socket.getInputStream().available() > 0) break;
                }
            } catch (IOException e) {
                // the server closed after answering
            }
            RawClient.Response r = c.read();
            assertEquals(408, r.status(), r.text());
            assertTrue(r.text().contains("request timeout"), r.text());
            assertTrue(t.millis() >= 1400 && t.millis() < 4000, "after the request timeout: " + t.millis() + " ms");
            assertEquals(1, rec.count("upload"));
        }
    }

    @Test
    void aConnectionBeyondTheCapGetsA503AndTheCapFreesAsConnectionsEnd() throws Exception {
        int cap = 3;
        try (RunningServer s = RunningServer.start(app(new Recorder()), srv -> srv.setMaxConnections(cap))) {
            List<RawClient> held = new ArrayList<>();
            for (int i = 0; i < cap; i++) {
                RawClient c = new RawClient(s.address);
                c.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, c.read().status());
                held.add(c); // kept alive: each holds its place
            }
            try (RawClient extra = new RawClient(s.address)) {
                extra.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Response r = extra.read();
                assertEquals(503, r.status(), r.text());
                assertEquals("close", r.header("connection"));
                assertEquals("1", r.header("retry-after"));
                assertTrue(r.text().contains("limit of 3 connections"), r.text());
                assertTrue(extra.closedByServer());
            }
            assertEquals(1, s.server.rejectedCount());
            held.get(0).close();
            long until = System.nanoTime() + 5_000_000_000L;
            boolean servedAgain = false;
            while (!servedAgain && System.nanoTime() < until) {
                try (RawClient again = new RawClient(s.address)) {
                    again.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                    servedAgain = again.read().status() == 200;
                }
                if (!servedAgain) Thread.sleep(20);
            }
            assertTrue(servedAgain, "a place freed when a connection ended");
            for (RawClient c : held.subList(1, cap)) {
                c.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, c.read().status(), "the held connections are still served");
                c.close();
            }
        }
    }
}
