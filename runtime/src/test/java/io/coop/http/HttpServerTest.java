package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.Schedule;
import io.coop.testing.Elapsed;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP server over real loopback sockets, with raw and JDK clients on other threads. */
class HttpServerTest {
    /** The pause between the parts of /stream: long enough that "arrived before the pause ended" needs no tight bound. */
    static final long STREAM_PAUSE_MS = 400;

    static final HttpHandler APP = x -> {
        RunningServer.mark();
        String path = x.getRequestURI().getPath();
        if (path.equals("/stream")) {
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    o.write(("part " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                    Coop.sleep(STREAM_PAUSE_MS);
                }
            }
            return;
        }
        if (path.equals("/sleep")) Coop.sleep(200);
        if (path.equals("/slow")) Coop.sleep(STREAM_PAUSE_MS);
        byte[] body = x.getRequestBody().readAllBytes();
        byte[] out = (x.getRequestMethod() + " " + path + " " + body.length + " " + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(200, out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    };

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    @Test
    void badInputGetsItsStatusWhileAWellFormedClientIsUnaffected() throws Exception {
        record Bad(String name, String raw, int status) { }
        List<Bad> cases = List.of(
                new Bad("CL+TE", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                new Bad("two CLs", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400),
                new Bad("request line", "GET /\r\nHost: t\r\n\r\n", 400),
                new Bad("header", "GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n", 400),
                new Bad("folding", "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400),
                new Bad("no host", "GET / HTTP/1.1\r\n\r\n", 400),
                new Bad("chunk", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
                new Bad("CL too big", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", 413),
                new Bad("chunks too big", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000)
                        + "\r\n3e8\r\n" + "y".repeat(1000) + "\r\n0\r\n\r\n", 413),
                new Bad("long line", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
                new Bad("big headers", "GET / HTTP/1.1\r\nHost: t\r\nX: " + "h".repeat(40_000) + "\r\n\r\n", 431),
                new Bad("many headers", "GET / HTTP/1.1\r\nHost: t\r\n" + "X: y\r\n".repeat(101) + "\r\n", 431),
                new Bad("version", "GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505),
                new Bad("slow head", "GET / HTTP/1.1\r\nHost: t\r\n", 408),
                new Bad("slow body", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc", 408));
        try (RunningServer s = RunningServer.start(APP, srv -> srv.setMaxBodyBytes(1500).setReadTimeout(Duration.ofMillis(400)))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger good = new AtomicInteger();
            List<Throwable> goodFailures = new CopyOnWriteArrayList<>();
            Thread wellFormed = new Thread(() -> {
                try (RawClient c = new RawClient(s.address)) {
                    while (!stop.get()) {
                        c.send("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
                        RawClient.Response r = c.read();
                        assertEquals(200, r.status());
                        assertEquals("POST /ok 2 hi", r.text());
                        good.incrementAndGet();
                    }
                } catch (Throwable t) {
                    goodFailures.add(t);
                }
            });
            wellFormed.start();
            for (Bad b : cases) {
                try (RawClient c = new RawClient(s.address)) {
                    Elapsed t = new Elapsed();
                    c.send(b.raw);
                    RawClient.Response r = c.read();
                    assertNotNull(r, b.name + ": an answer, not just a close");
                    assertEquals(b.status, r.status(), b.name + ": " + r.text());
                    assertEquals("close", r.header("connection"), b.name);
                    assertTrue(c.closedByServer(), b.name + ": the connection is closed after");
                    if (b.status == 408) assertTrue(t.millis() >= 350 && t.millis() < 3000, "408 after the read timeout: " + t.millis());
                }
                int before = good.get();
                long until = System.nanoTime() + 2_000_000_000L;
                while (good.get() == before && System.nanoTime() < until) Thread.sleep(1);
                assertTrue(good.get() > before, "the well-formed client kept being served after " + b.name);
            }
            stop.set(true);
            wellFormed.join();
            assertEquals(List.of(), goodFailures);
            assertTrue(good.get() >= cases.size());
        }
    }

    @Test
    void keepAliveAndPipelining() throws Exception {
        try (RunningServer s = RunningServer.start(APP); RawClient c = new RawClient(s.address)) {
            for (int i = 0; i < 100; i++) {
                c.send(get("/seq" + i));
                assertEquals("GET /seq" + i + " 0 ", c.read().text());
            }
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                batch.append("POST /p").append(i).append(" HTTP/1.1\r\nHost: t\r\nContent-Length: ").append(String.valueOf(i).length())
                        .append("\r\n\r\n").append(i);
            }
            c.send(batch.toString());
            for (int i = 0; i < 50; i++) assertEquals("POST /p" + i + " " + String.valueOf(i).length() + " " + i, c.read().text());
            c.send("GET /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".replace("GET", "PUT"));
            assertEquals("PUT /chunked 5 hello", c.read().text());
            c.send("GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawClient.Response last = c.read();
            assertEquals("close", last.header("connection"));
            assertTrue(c.closedByServer());
            assertTrue(s.server.requestCount() >= 152, "requests counted: " + s.server.requestCount());
        }
        assertEquals(1, RunningServer.HANDLER_THREADS.size(), "handlers ran on one OS thread: " + RunningServer.HANDLER_THREADS);
    }

    @Test
    void pipelinedRequestsSentInOneWriteAreAnsweredInOrderInAFewWrites() throws Exception {
        int n = 50;
        // seeded, so that its turn points count requests, not time: a connection that keeps finding
        // requests buffered yields (and sends what it holds) after 16 of them, on a slow machine too
        Schedule seeded = Schedule.seeded(1).withVirtualTime(false);
        try (RunningServer s = RunningServer.start(APP, srv -> { }, seeded); RawClient c = new RawClient(s.address)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < n; i++) {
                batch.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: t\r\n").append(i == n - 1 ? "Connection: close\r\n" : "").append("\r\n");
            }
            c.send(batch.toString()); // one write: the server finds them all in its first read
            for (int i = 0; i < n; i++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals("GET /p" + i + " 0 ", r.text());
            }
            assertTrue(c.closedByServer());
            long until = System.nanoTime() + 5_000_000_000L;
            while (s.server.connectionCount() > 0 && System.nanoTime() < until) Thread.sleep(5);
            assertEquals(0, s.server.connectionCount());
            // a response written out as each one finished: 50 writes; held back while the next
            // request is already buffered: one write per turn point that yields (every 16 requests)
            long writes = s.server.writeCount();
            assertTrue(writes >= 1 && writes <= 6, n + " pipelined responses took " + writes + " writes");
        }
    }

    @Test
    void aResponseIsNotHeldBackWhileTheNextPipelinedHandlerWaits() throws Exception {
        try (RunningServer s = RunningServer.start(APP); RawClient c = new RawClient(s.address)) {
            Elapsed t = new Elapsed();
            c.send(get("/first") + get("/slow") + get("/stream") + get("/last"));
            assertEquals("GET /first 0 ", c.read().text());
            long first = t.millis();
            assertEquals("GET /slow 0 ", c.read().text());
            long slow = t.millis();
            // /first is finished while /slow is buffered, so it is held back, but only until the
            // /slow handler waits: it must not wait for /slow's answer
            assertTrue(first < STREAM_PAUSE_MS * 3 / 4 && slow >= STREAM_PAUSE_MS * 3 / 4,
                    "the first answer came at " + first + " ms, the slow one at " + slow + " ms");
            // a streaming handler with /last buffered behind it: each flushed part still leaves at once
            assertEquals("HTTP/1.1 200 OK", c.line());
            while (!c.line().isEmpty()) { }
            assertEquals("7", c.line());
            assertEquals("part 0", c.line());
            long part0 = t.millis() - slow;
            c.line();
            assertEquals("7", c.line());
            assertEquals("part 1", c.line());
            long part1 = t.millis() - slow;
            assertTrue(part0 < STREAM_PAUSE_MS * 3 / 4 && part1 - part0 >= STREAM_PAUSE_MS * 3 / 4,
                    "each part arrives as flushed: " + part0 + " ms, then " + part1 + " ms");
            c.line();
            assertEquals("7", c.line());
            assertEquals("part 2", c.line());
            c.line();
            assertEquals("0", c.line());
            assertEquals("", c.line());
            assertEquals("GET /last 0 ", c.read().text());
        }
    }

    @Test
    void chunkedResponsesStreamAsTheHandlerFlushes() throws Exception {
        try (RunningServer s = RunningServer.start(APP); RawClient c = new RawClient(s.address)) {
            Elapsed t = new Elapsed();
            c.send(get("/stream"));
            assertEquals("HTTP/1.1 200 OK", c.line());
            String h;
            boolean chunked = false;
            while (!(h = c.line()).isEmpty()) chunked |= h.equalsIgnoreCase("Transfer-encoding: chunked");
            assertTrue(chunked);
            assertEquals("7", c.line());
            assertEquals("part 0", c.line());
            long first = t.millis();
            c.line();
            assertEquals("7", c.line());
            assertEquals("part 1", c.line());
            long second = t.millis();
            // flushed at once, the first part comes well before the pause ends; buffered, the parts
            // would come together (or each one pause late)
            long half = STREAM_PAUSE_MS * 3 / 4;
            assertTrue(first < half && second - first >= half, "each part arrives as flushed: " + first + " ms, then " + second + " ms");
        }
    }

    @Test
    void expectContinueHttp10AndIdleTimeout() throws Exception {
        try (RunningServer s = RunningServer.start(APP, srv -> srv.setIdleTimeout(Duration.ofMillis(300)))) {
            try (RawClient c = new RawClient(s.address)) {
                c.send("POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
                assertEquals("HTTP/1.1 100 Continue", c.line(), "the 100 comes before the body is sent");
                assertEquals("", c.line());
                c.send("abc");
                assertEquals("POST /e 3 abc", c.read().text());
            }
            try (RawClient c = new RawClient(s.address)) {
                c.send("GET /old HTTP/1.0\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals("GET /old 0 ", r.text());
                assertEquals("close", r.header("connection"));
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(s.address)) {
                c.send(get("/x"));
                assertEquals(200, c.read().status());
                Elapsed t = new Elapsed();
                assertTrue(c.closedByServer(), "an idle keep-alive connection is closed");
                assertTrue(t.millis() >= 250 && t.millis() < 3000, "after the idle timeout: " + t.millis() + " ms");
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheWriteTimeout() throws Exception {
        byte[] big = new byte[32 * 1024 * 1024];
        try (RunningServer s = RunningServer.start(x -> {
            x.sendResponseHeaders(200, big.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(big);
            }
        }, srv -> srv.setWriteTimeout(Duration.ofMillis(300))); RawClient c = new RawClient(s.address)) {
            c.socket.setReceiveBufferSize(4096);
            c.send(get("/big"));
            long until = System.nanoTime() + 10_000_000_000L;
            while (s.server.connectionCount() > 0 && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(0, s.server.connectionCount(), "the server gave up on the client that does not read");
            try (RawClient other = new RawClient(s.address)) {
                other.socket.setSoTimeout(10_000);
                other.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, other.read(true).status(), "and serves others");
            }
        }
    }

    @Test
    void theJdkHttpClientTalksToIt() throws Exception {
        try (RunningServer s = RunningServer.start(APP)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = URI.create("http://127.0.0.1:" + s.address.getPort());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("GET /hello 0 ", r.body());
            assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
            HttpResponse<String> p = client.send(HttpRequest.newBuilder(base.resolve("/post"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("POST /post 7 payload", p.body());
            HttpResponse<InputStream> st = client.send(HttpRequest.newBuilder(base.resolve("/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("part 0\npart 1\npart 2\n", new String(st.body().readAllBytes(), StandardCharsets.UTF_8));
            HttpResponse<Void> head = client.send(HttpRequest.newBuilder(base.resolve("/h")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
        }
    }

    @Test
    void manySlowRequestsAtOnceOnOneThreadAndStopClosesIdleConnections() throws Exception {
        RunningServer s = RunningServer.start(APP);
        try {
            int n = 200;
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) clients.add(new RawClient(s.address));
            Elapsed t = new Elapsed();
            for (RawClient c : clients) c.send(get("/sleep"));
            for (RawClient c : clients) assertEquals(200, c.read().status());
            assertTrue(t.millis() < 2000, n + " requests that sleep 200 ms each took " + t.millis() + " ms");
            assertEquals(n, s.server.peakConnections());
            Elapsed stop = new Elapsed();
            s.close();
            assertTrue(stop.millis() < 1500, "idle keep-alive connections do not hold up stop: " + stop.millis() + " ms");
            for (RawClient c : clients) {
                assertTrue(c.closedByServer());
                c.close();
            }
        } finally {
            s.close();
        }
        assertEquals(1, RunningServer.HANDLER_THREADS.size(), RunningServer.HANDLER_THREADS.toString());
    }
}
