package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests through one connection's request loop, in memory: every input gets
 * well-formed responses and then a clean close; no exception escapes, nothing hangs.
 */
class HttpFuzzTest {
    static final int CASES = Integer.getInteger("coop.fuzz.cases", 100_000);
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "X-CUSTOM"};
    static final String[] PATHS = {"/", "/x?y=1&z=%41", "/stream", "/none", "/fail", "/silent", "/a%20b/c", "http://h/abs", "*"};
    static final byte[] NASTY = "\r\n\0 :;,\t\u007f\u00ff\u0080-0123456789abcdefABCDEF%/?#HTTP/1.1chunkedContent-LengthTransfer-Encoding"
            .getBytes(StandardCharsets.ISO_8859_1);

    static void request(Random r, ByteArrayOutputStream out) {
        String method = METHODS[r.nextInt(METHODS.length)];
        String path = PATHS[r.nextInt(PATHS.length)];
        if (path.equals("*")) method = "OPTIONS";
        boolean v10 = r.nextInt(6) == 0;
        StringBuilder sb = new StringBuilder().append(method).append(' ').append(path).append(v10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (!v10 || r.nextBoolean()) sb.append("Host: example\r\n");
        int extra = r.nextInt(4);
        for (int i = 0; i < extra; i++) sb.append("X-H").append(i).append(": ").append("v".repeat(r.nextInt(20))).append("\r\n");
        if (r.nextInt(5) == 0) sb.append(r.nextBoolean() ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
        if (r.nextInt(8) == 0) sb.append("Expect: 100-continue\r\n");
        byte[] body = new byte[r.nextInt(3) == 0 ? r.nextInt(40) : 0];
        r.nextBytes(body);
        boolean chunked = !v10 && body.length > 0 && r.nextBoolean();
        if (chunked) {
            sb.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            int i = 0;
            while (i < body.length) {
                int n = 1 + r.nextInt(body.length - i);
                out.writeBytes((Integer.toHexString(n) + (r.nextInt(4) == 0 ? ";ext=v" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                i += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            if (body.length > 0 || r.nextInt(4) == 0) sb.append("Content-Length: ").append(body.length).append("\r\n");
            sb.append("\r\n");
            out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
    }

    static byte[] mutate(Random r, byte[] in) {
        byte[] b = in;
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            int p = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(9)) {
                case 0 -> { if (b.length > 0) b[p] = (byte) r.nextInt(256); }
                case 1 -> { if (b.length > 0) b[p] = NASTY[r.nextInt(NASTY.length)]; }
                case 2 -> { // insert nasty bytes
                    int n = 1 + r.nextInt(4);
                    byte[] nb = new byte[b.length + n];
                    System.arraycopy(b, 0, nb, 0, p);
                    for (int i = 0; i < n; i++) nb[p + i] = NASTY[r.nextInt(NASTY.length)];
                    System.arraycopy(b, p, nb, p + n, b.length - p);
                    b = nb;
                }
                case 3 -> { // delete a range
                    int n = Math.min(b.length - p, 1 + r.nextInt(8));
                    byte[] nb = new byte[b.length - n];
                    System.arraycopy(b, 0, nb, 0, p);
                    System.arraycopy(b, p + n, nb, p, b.length - p - n);
                    b = nb;
                }
                case 4 -> { // duplicate a range
                    int n = Math.min(b.length - p, 1 + r.nextInt(30));
                    byte[] nb = new byte[b.length + n];
                    System.arraycopy(b, 0, nb, 0, p + n);
                    System.arraycopy(b, p, nb, p + n, b.length - p);
                    b = nb;
                }
                case 5 -> b = java.util.Arrays.copyOf(b, p); // truncate
                case 6 -> { // inject a framing header after the first line
                    String[] hs = {"Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "Content-Length: 1\r\nContent-Length: 2\r\n",
                            "Transfer-Encoding: gzip\r\n", "Content-Length: -1\r\n", "Host: a\r\n", " folded\r\n", "X: \u0000\r\n"};
                    byte[] h = hs[r.nextInt(hs.length)].getBytes(StandardCharsets.ISO_8859_1);
                    int at = indexOf(b, (byte) '\n') + 1;
                    byte[] nb = new byte[b.length + h.length];
                    System.arraycopy(b, 0, nb, 0, at);
                    System.arraycopy(h, 0, nb, at, h.length);
                    System.arraycopy(b, at, nb, at + h.length, b.length - at);
                    b = nb;
                }
                case 7 -> { // random garbage
                    byte[] nb = new byte[r.nextInt(200)];
                    r.nextBytes(nb);
                    b = r.nextBoolean() ? nb : concat(b, nb);
                }
                default -> { // very long run
                    byte[] run = new byte[r.nextInt(3000)];
                    java.util.Arrays.fill(run, r.nextBoolean() ? (byte) 'a' : NASTY[r.nextInt(NASTY.length)]);
                    byte[] nb = new byte[b.length + run.length];
                    System.arraycopy(b, 0, nb, 0, p);
                    System.arraycopy(run, 0, nb, p, run.length);
                    System.arraycopy(b, p, nb, p + run.length, b.length - p);
                    b = nb;
                }
            }
        }
        return b;
    }

    static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void everyInputGetsResponsesOrACleanClose() {
        Logger coop = Logger.getLogger("io.coop");
        boolean parents = coop.getUseParentHandlers();
        coop.setUseParentHandlers(false); // the handler failures on purpose would flood the console
        try (LogCapture log = new LogCapture()) {
            long start = System.nanoTime();
            int[] stats = new int[6]; // 0 cases, 1 with a 2xx, 2 with a 4xx/5xx, 3 silent close, 4 mutated, 5 responses
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                Random r = new Random(Long.getLong("coop.fuzz.seed", 20261122L));
                for (int i = 0; i < CASES; i++) {
                    ByteArrayOutputStream req = new ByteArrayOutputStream();
                    int n = 1 + r.nextInt(3);
                    for (int k = 0; k < n; k++) request(r, req);
                    byte[] input = req.toByteArray();
                    boolean mutated = r.nextInt(10) != 0;
                    if (mutated) {
                        input = mutate(r, input);
                        stats[4]++;
                    }
                    Limits limits = new Limits();
                    boolean small = r.nextInt(4) == 0;
                    if (small) {
                        limits.maxRequestLine = 20 + r.nextInt(100);
                        limits.maxHeaderBytes = 30 + r.nextInt(300);
                        limits.maxHeaderCount = 1 + r.nextInt(6);
                        limits.maxBodyBytes = r.nextInt(50);
                        limits.bufferSize = 16 + r.nextInt(100);
                        limits.maxChunkLine = 4 + r.nextInt(20);
                        limits.maxDrainBytes = r.nextInt(30);
                    }
                    Harness h;
                    try {
                        h = new Harness(input, new Random(i), limits, Harness.ECHO);
                    } catch (Throwable t) {
                        throw new AssertionError("case " + i + " threw out of the request loop: "
                                + new String(input, StandardCharsets.ISO_8859_1), t);
                    }
                    assertTrue(h.transport.closed, "case " + i + ": the connection is closed at the end");
                    byte[] out = h.transport.output.toByteArray();
                    String text = new String(input, StandardCharsets.ISO_8859_1);
                    List<Responses.Resp> rs;
                    if (text.contains("HEAD")) continue; // a HEAD answer's length describes a body it does not carry
                    try {
                        rs = Responses.parse(out);
                    } catch (RuntimeException e) {
                        throw new AssertionError("case " + i + ": malformed output " + e.getMessage() + "\ninput: " + text
                                + "\noutput: " + new String(out, StandardCharsets.ISO_8859_1), e);
                    }
                    stats[0]++;
                    stats[5] += rs.size();
                    if (rs.isEmpty()) stats[3]++;
                    else if (rs.get(rs.size() - 1).status() >= 400) stats[2]++;
                    else stats[1]++;
                    if (!mutated && !small) {
                        assertFalse(rs.isEmpty(), "case " + i + ": a well-formed request gets an answer: " + text);
                        for (Responses.Resp x : rs) {
                            assertTrue(x.status() < 400 || x.status() == 500 || x.status() == 413 || x.status() == 431 || x.status() == 414,
                                    "case " + i + ": " + x.status() + " for a well-formed request: " + text + "\n" + new String(out, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            });
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("fuzz: %d inputs (%d mutated) in %.1f s: %d ended on a 2xx, %d on a refusal, %d closed without an answer; %d responses%n",
                    CASES, stats[4], secs, stats[1], stats[2], stats[3], stats[5]);
            long unexpected = log.snapshot().stream().filter(rec -> rec.getMessage() != null && rec.getMessage().startsWith("HTTP connection from")).count();
            assertEquals(0, unexpected, "no unexpected exception inside the request loop: " + log.snapshot().stream()
                    .filter(rec -> rec.getMessage().startsWith("HTTP connection from")).findFirst().map(rec -> String.valueOf(rec.getThrown())).orElse(""));
            assertTrue(stats[1] > CASES / 20 && stats[2] > CASES / 5, "the fuzz reaches both handlers and refusals");
        } finally {
            coop.setUseParentHandlers(parents);
            coop.setLevel(Level.INFO);
        }
    }
}
