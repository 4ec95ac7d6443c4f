package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The request parser and one connection's request loop, on bytes in memory (no sockets). */
class HttpParserTest {
    static Request parse(String raw, Limits limits) throws Exception {
        MemoryTransport t = new MemoryTransport(raw.getBytes(StandardCharsets.ISO_8859_1), new Random(1));
        return RequestParser.parse(new HttpInput(t, BufferPool.unpooled(64), 0), limits);
    }

    static int status(String raw) {
        return status(raw, new Limits());
    }

    static int status(String raw, Limits limits) {
        try {
            parse(raw, limits);
            return 200;
        } catch (HttpError e) {
            return e.status;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parsesARequestHeadByteByByteAndInOneGo() throws Exception {
        String raw = "POST /a/b%20c?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\nX-Multi: one\r\nx-multi: two\r\n"
                + "Content-Length:   3  \r\nConnection: keep-alive\r\n\r\nabc";
        for (int size : new int[] {1, 7, 64, 10_000}) {
            MemoryTransport t = new MemoryTransport(raw.getBytes(StandardCharsets.ISO_8859_1), null) {
                @Override
                public int read(byte[] b, int off, int len, long deadline) {
                    return super.read(b, off, Math.min(len, size), deadline);
                }
            };
            Request r = RequestParser.parse(new HttpInput(t, BufferPool.unpooled(16), 0), new Limits());
            assertEquals("POST", r.method);
            assertEquals("/a/b c", r.uri.getPath());
            assertEquals("x=1&y=2", r.uri.getQuery());
            assertEquals(1, r.minor);
            assertEquals("example.com", r.headers().getFirst("host"));
            assertEquals(List.of("one", "two"), r.headers().get("X-multi"));
            assertEquals(3, r.contentLength);
            assertTrue(r.keepAlive);
        }
    }

    @Test
    void keepAliveRulesOf10And11() throws Exception {
        assertTrue(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", new Limits()).keepAlive);
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", new Limits()).keepAlive);
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n", new Limits()).keepAlive);
        assertTrue(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", new Limits()).keepAlive);
        assertTrue(parse("\r\n\nGET / HTTP/1.1\nHost: h\n\n", new Limits()).keepAlive, "bare LF and leading empty lines are accepted");
        assertNull(parse("", new Limits()), "end of stream before a request");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5, 6\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\n | 200",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +5\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 0x5\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n | 413",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 16777217\\r\\n\\r\\n | 413",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | 501",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 501",
            "GET / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost : h\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\r\\n  folded\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\rb\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\u0000b\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\n: empty name\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nNo colon\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | 400",
            "GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n | 505",
            "GET / http/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET / HTTP/1.1 extra\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET  / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET /\\u00e9 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "G(T / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET nothing HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET /a%zz HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "GET * HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 400",
            "OPTIONS * HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 200",
            "GET http://h/x HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 200",
            "CONNECT h:443 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n | 501",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nExpect: 100-continue\\r\\n\\r\\n | 200",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nExpect: something\\r\\n\\r\\n | 417",
    })
    void refusesWhatCouldBeSmuggledOrIsMalformed(String raw, int expected) {
        String unescaped = raw.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000").replace("\\u00e9", "\u00e9");
        assertEquals(expected, status(unescaped));
    }

    @Test
    void limitsGive414And431() {
        Limits l = new Limits();
        String longTarget = "/" + "a".repeat(l.maxRequestLine);
        assertEquals(414, status("GET " + longTarget + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(200, status("GET /" + "a".repeat(l.maxRequestLine - 20) + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(431, status("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(l.maxHeaderBytes) + "\r\n\r\n"));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < l.maxHeaderCount; i++) many.append("X-").append(i).append(": v\r\n");
        assertEquals(431, status(many.append("\r\n").toString()));
        StringBuilder manySmall = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 2000; i++) manySmall.append("X-").append(i).append(": ").append("v".repeat(10)).append("\r\n");
        assertEquals(431, status(manySmall.append("\r\n").toString()), "many small headers add up");
    }

    // ---------------------------------------------------------------- the request loop

    @Test
    void pipelinedRequestsGetResponsesInOrderAndBodiesStayApart() {
        String in = "POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"
                + "GET /three HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /stream HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /none HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                + "GET /never HTTP/1.1\r\nHost: h\r\n\r\n";
        for (long seed = 0; seed < 50; seed++) {
            Harness h = Harness.run(in, new Random(seed), new Limits());
            List<Responses.Resp> rs = h.responses();
            assertEquals(6, rs.size(), h.transport.outputText());
            assertEquals("POST /one HTTP/1.1 body=hello", rs.get(0).body());
            assertEquals("POST /two HTTP/1.1 body=abcde", rs.get(1).body());
            assertEquals("GET /three HTTP/1.1 body=", rs.get(2).body());
            assertEquals("GET /stream HTTP/1.1 body=", rs.get(3).body());
            assertEquals("chunked", rs.get(3).header("transfer-encoding"));
            assertEquals(204, rs.get(4).status());
            assertEquals("close", rs.get(5).header("connection"));
            assertTrue(h.transport.closed);
        }
    }

    @Test
    void aSmallResponseLeavesInOneWrite() {
        Harness h = Harness.run("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals(1, h.transport.writes, "status line, headers and body in one write");
        Responses.Resp r = h.responses().get(0);
        assertNotNull(r.header("date"));
        assertEquals(String.valueOf(r.body().length()), r.header("content-length"));
    }

    @Test
    void pipelinedResponsesLeaveTogetherInOneWrite() {
        String in = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n".repeat(10)
                + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
                + "HEAD /c HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /none HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        Harness h = Harness.run(in);
        List<Responses.Resp> rs = Responses.parse(h.transport.output.toByteArray(),
                List.of(false, false, false, false, false, false, false, false, false, false, false, true));
        assertEquals(14, rs.size(), h.transport.outputText());
        assertEquals("POST /b HTTP/1.1 body=hi", rs.get(10).body());
        assertEquals(204, rs.get(12).status());
        assertEquals("GET /last HTTP/1.1 body=", rs.get(13).body());
        assertEquals(1, h.transport.writes, "all 14 read at once, all 14 answered in one write");
    }

    @Test
    void responsesHeldForAPipelinedRequestLeaveBeforeItsRefusal() {
        for (String bad : List.of("GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n", "GET /fail HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /silent HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab")) {
            Harness h = Harness.run("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n" + bad);
            List<Responses.Resp> rs = h.responses();
            assertEquals(3, rs.size(), bad + " -> " + h.transport.outputText());
            assertEquals("GET /a HTTP/1.1 body=", rs.get(0).body());
            assertEquals("GET /b HTTP/1.1 body=", rs.get(1).body());
            assertTrue(rs.get(2).status() >= 400, bad + " -> " + rs.get(2).status());
            assertTrue(h.transport.closed);
        }
    }

    @Test
    void theResponseHeadersReadAfterSendingAsTheServerSentThem() {
        List<String> seen = new java.util.ArrayList<>();
        com.sun.net.httpserver.HttpHandler handler = x -> {
            com.sun.net.httpserver.Headers h = x.getResponseHeaders();
            boolean chunked = x.getRequestURI().getPath().equals("/chunked");
            h.set("Content-Length", "999");
            h.set("Transfer-Encoding", "gzip");
            h.set("X-Mine", "1");
            if (!chunked) h.set("Connection", "close");
            x.sendResponseHeaders(200, chunked ? 0 : 2);
            seen.add(h.getFirst("content-length") + " " + h.getFirst("Transfer-encoding") + " " + h.getFirst("Connection")
                    + " " + h.getFirst("X-mine") + " " + (h.getFirst("Date") != null) + " " + h.size());
            try (java.io.OutputStream o = x.getResponseBody()) {
                o.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        };
        Harness h = new Harness(("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\nGET /fixed HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), null, new Limits(), handler);
        assertEquals(List.of("null chunked null 1 true 3", "2 null close 1 true 4"), seen);
        List<Responses.Resp> rs = h.responses();
        assertEquals(2, rs.size(), h.transport.outputText());
        assertEquals("chunked", rs.get(0).header("transfer-encoding"));
        assertNull(rs.get(0).header("content-length"));
        assertEquals("1", rs.get(0).header("x-mine"));
        assertEquals("2", rs.get(1).header("content-length"));
        assertNull(rs.get(1).header("transfer-encoding"));
        assertEquals("close", rs.get(1).header("connection"));
        assertEquals("ok", rs.get(1).body());
        assertTrue(h.transport.closed);
    }

    @Test
    void buffersGoBackToThePool() {
        Harness h = Harness.run("GET /x HTTP/1.1\r\nHost: h\r\n\r\nPOST /y HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals(2, h.responses().size());
        // the read buffer goes back before the handler runs, so the response borrows the same one
        assertEquals(1, h.pool.freeCount(), "one buffer served both requests, reading and writing, and is back in the pool");
    }

    @Test
    void http10AndHead() {
        Harness h = Harness.run("GET /stream HTTP/1.0\r\n\r\n");
        String out = h.transport.outputText();
        assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
        assertFalse(out.toLowerCase().contains("transfer-encoding"), "no chunking for an HTTP/1.0 client");
        assertTrue(out.endsWith("GET /stream HTTP/1.0 body="), out);
        assertTrue(h.transport.closed);

        Harness keep = Harness.run("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
        List<Responses.Resp> rs = keep.responses();
        assertEquals(2, rs.size());
        assertEquals("keep-alive", rs.get(0).header("connection"));
        assertEquals("close", rs.get(1).header("connection"));

        Harness head = Harness.run("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        List<Responses.Resp> hs = Responses.parse(head.transport.output.toByteArray(), List.of(true, false));
        assertEquals(2, hs.size());
        assertEquals("", hs.get(0).body(), "HEAD: no body");
        assertEquals(String.valueOf("HEAD /x HTTP/1.1 body=".length()), hs.get(0).header("content-length"));
        assertEquals("GET /y HTTP/1.1 body=", hs.get(1).body());
    }

    @Test
    void badInputGetsItsStatusThenCloses() {
        record Case(String input, int status) { }
        List<Case> cases = List.of(
                new Case("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                new Case("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400),
                new Case("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400),
                new Case("GET /fail HTTP/1.1\r\nHost: h\r\n\r\n", 500),
                new Case("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n", 500),
                new Case("GET / HTTP/1.1\r\nHost: h\r\n\r\n".replace("GET", "GE\u0001T"), 400));
        for (Case c : cases) {
            Harness h = Harness.run(c.input + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
            List<Responses.Resp> rs = h.responses();
            assertEquals(1, rs.size(), c.input + " -> " + h.transport.outputText());
            assertEquals(c.status, rs.get(0).status(), c.input);
            assertEquals("close", rs.get(0).header("connection"));
            assertTrue(h.transport.closed);
        }
        Limits small = new Limits();
        small.maxBodyBytes = 10;
        Harness big = Harness.run("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", null, small);
        assertEquals(413, big.responses().get(0).status(), "a chunked body over the limit");
    }

    @Test
    void expectContinueSends100WhenTheBodyIsRead() {
        Harness h = Harness.run("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");
        String out = h.transport.outputText();
        assertTrue(out.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), out);
        assertTrue(out.endsWith("body=hi"), out);
    }

    @ParameterizedTest(name = "chunk size line {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "5 | 200",
            "0000000005 | 200",
            "0000000000000005 | 200",
            "0000000000000000000000000000000000000000005 | 200",
            "5;name=value | 200",
            "5<SP>;name | 200",
            "5<TAB>;name | 200",
            "5<SP> | 400",
            "5<TAB> | 400",
            "5<SP>x | 400",
            "fffffffffffffffffff | 413",
            "1000001 | 413",
    })
    void chunkSizesAreReadByValueAndOnlyWhitespaceBeforeAnExtensionIsAllowed(String line, int expected) {
        String size = line.replace("<SP>", " ").replace("<TAB>", "\t");
        Limits limits = new Limits();
        limits.maxBodyBytes = 0x1000000; // 16 MiB: 1000000 hex is the limit, 1000001 is over it
        Harness h = Harness.run("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n",
                null, limits);
        List<Responses.Resp> rs = h.responses();
        assertEquals(1, rs.size(), h.transport.outputText());
        assertEquals(expected, rs.get(0).status(), h.transport.outputText());
        if (expected == 200) assertEquals("POST /c HTTP/1.1 body=hello", rs.get(0).body());
        if (expected == 413) assertTrue(rs.get(0).body().contains("chunk size larger than the body limit"), rs.get(0).body());
    }

    @Test
    void aZeroPaddedContentLengthIsReadByValue() throws Exception {
        assertEquals(5, parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 00000000000000000000000005\r\n\r\n", new Limits()).contentLength);
        assertEquals(413, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 00000000000000000000000016777217\r\n\r\n"));
        assertEquals(413, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999999\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999999x\r\n\r\n"));
    }

    @Test
    void theHandlersFailureGetsA500ThatSaysSoWithoutItsText() {
        Responses.Resp failed = Harness.run("GET /fail HTTP/1.1\r\nHost: h\r\n\r\n").responses().get(0);
        assertEquals(500, failed.status());
        assertTrue(failed.body().contains("the handler failed"), failed.body());
        assertFalse(failed.body().contains("on purpose") || failed.body().contains("IllegalStateException"), failed.body());
        Responses.Resp silent = Harness.run("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n").responses().get(0);
        assertEquals(500, silent.status());
        assertTrue(silent.body().contains("the handler sent no response"), silent.body());
    }
}
