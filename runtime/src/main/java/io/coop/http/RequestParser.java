package io.coop.http;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 request-head parser (RFC 9112). It reads from an {@link HttpInput}, so it runs on
 * bytes in memory as well as on a socket. Strict where leniency lets requests be smuggled past a
 * proxy: no whitespace before a header's colon, no obsolete line folding, no bare CR, no
 * Content-Length together with Transfer-Encoding, no two differing Content-Lengths, only
 * "chunked" as transfer coding. Lenient where it is harmless: a bare LF ends a line, and empty
 * lines before the request line are skipped.
 */
final class RequestParser {
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private RequestParser() {
    }

    /**
     * Reads one request head. Returns null at end of stream before its first byte; throws
     * {@link HttpError} for a request to refuse, {@link java.io.EOFException} when the stream
     * ends inside it.
     */
    static Request parse(HttpInput in, Limits limits) throws IOException {
        int empty = 0;
        while (true) {
            if (!in.readLine(limits.maxRequestLine, 414, "request line")) return null;
            if (in.lineEnd > in.lineStart) break;
            if (++empty > MAX_LEADING_EMPTY_LINES) throw new HttpError(400, "too many empty lines before the request line");
        }
        Request r = new Request();
        parseRequestLine(in.buf, in.lineStart, in.lineEnd, r);
        int headerBytes = 0, count = 0;
        while (true) {
            int budget = limits.maxHeaderBytes - headerBytes;
            if (!in.readLine(Math.max(0, budget), 431, "header section")) throw new java.io.EOFException("end of stream in the header section");
            int len = in.lineEnd - in.lineStart;
            if (len == 0) break;
            headerBytes += len + 2;
            if (headerBytes > limits.maxHeaderBytes) throw new HttpError(431, "header section longer than " + limits.maxHeaderBytes + " bytes");
            if (++count > limits.maxHeaderCount) throw new HttpError(431, "more than " + limits.maxHeaderCount + " header fields");
            parseHeader(in.buf, in.lineStart, in.lineEnd, r);
        }
        checkFraming(r, limits);
        return r;
    }

    static void parseRequestLine(byte[] b, int start, int end, Request r) throws HttpError {
        int sp1 = start;
        while (sp1 < end && TCHAR[b[sp1] & 0xff]) sp1++;
        if (sp1 == start || sp1 >= end || b[sp1] != ' ') throw new HttpError(400, "malformed request line (method)");
        int t = sp1 + 1, sp2 = t;
        while (sp2 < end && b[sp2] > 0x20 && b[sp2] < 0x7f) sp2++;
        if (sp2 == t || sp2 >= end || b[sp2] != ' ') throw new HttpError(400, "malformed request line (target)");
        int v = sp2 + 1;
        if (end - v != 8 || b[v] != 'H' || b[v + 1] != 'T' || b[v + 2] != 'T' || b[v + 3] != 'P' || b[v + 4] != '/'
                || !digit(b[v + 5]) || b[v + 6] != '.' || !digit(b[v + 7])) {
            throw new HttpError(400, "malformed request line (version)");
        }
        if (b[v + 5] != '1') throw new HttpError(505, "only HTTP/1.x is served");
        r.minor = b[v + 7] == '0' ? 0 : 1;
        r.method = method(b, start, sp1 - start);
        r.target = new String(b, t, sp2 - t, StandardCharsets.ISO_8859_1);
        char first = r.target.charAt(0);
        if (first == '/') {
            // origin-form
        } else if (r.target.equals("*")) {
            if (!r.method.equals("OPTIONS")) throw new HttpError(400, "'*' is a target only for OPTIONS");
        } else if (r.method.equals("CONNECT")) {
            throw new HttpError(501, "CONNECT is not supported");
        } else {
            String lower = r.target.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) throw new HttpError(400, "malformed request target");
        }
        try {
            r.uri = new URI(r.target);
        } catch (URISyntaxException e) {
            throw new HttpError(400, "malformed request target: " + e.getReason());
        }
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "PATCH", "TRACE", "DELETE", "OPTIONS", "CONNECT"};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
    }

    /** The method token {@code b[start, start + len)}: the same String each time for the standard methods (case matters). */
    private static String method(byte[] b, int start, int len) {
        for (int i = 0; i < METHODS.length; i++) {
            byte[] m = METHOD_BYTES[i];
            if (m.length == len && same(b, start, m)) return METHODS[i];
        }
        return new String(b, start, len, StandardCharsets.ISO_8859_1);
    }

    /** True when {@code b} holds {@code m} at {@code start} (a few bytes: a plain loop beats a vectorized compare). */
    private static boolean same(byte[] b, int start, byte[] m) {
        for (int i = 0; i < m.length; i++) if (b[start + i] != m[i]) return false;
        return true;
    }

    /**
     * Checks one header line; with {@code r}, adds it to the request's fields and notes the fields
     * that frame the request (without {@code r}: a trailer line, checked and dropped).
     */
    static void parseHeader(byte[] b, int start, int end, Request r) throws HttpError {
        if (b[start] == ' ' || b[start] == '\t') throw new HttpError(400, "obsolete line folding in the header section");
        int colon = start;
        while (colon < end && TCHAR[b[colon] & 0xff]) colon++;
        if (colon == start || colon >= end || b[colon] != ':') throw new HttpError(400, "malformed header field name");
        int vs = colon + 1, ve = end;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) vs++;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        for (int i = vs; i < ve; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new HttpError(400, "control character in a header field value");
        }
        if (r == null) return;
        r.addField(b, start, colon, vs, ve);
        switch (colon - start) {
            case 4 -> { if (named(b, start, HOST)) r.hosts++; }
            case 6 -> { if (named(b, start, EXPECT) && r.expect == null) r.expect = value(b, vs, ve); }
            case 10 -> { if (named(b, start, CONNECTION)) r.connection = add(r.connection, value(b, vs, ve)); }
            case 14 -> { if (named(b, start, CONTENT_LENGTH)) r.contentLengths = add(r.contentLengths, value(b, vs, ve)); }
            case 17 -> { if (named(b, start, TRANSFER_ENCODING)) r.transferEncodings = add(r.transferEncodings, value(b, vs, ve)); }
            default -> { }
        }
    }

    private static final byte[] HOST = lower("Host"), EXPECT = lower("Expect"), CONNECTION = lower("Connection"),
            CONTENT_LENGTH = lower("Content-Length"), TRANSFER_ENCODING = lower("Transfer-Encoding");

    private static byte[] lower(String name) {
        return name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /** True when the name at {@code b[start, ...)}, of {@code lower}'s length, is {@code lower} in any case (names are tokens: ASCII). */
    private static boolean named(byte[] b, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lower[i]) return false;
        }
        return true;
    }

    private static String value(byte[] b, int vs, int ve) {
        return new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
    }

    private static List<String> add(List<String> list, String value) {
        if (list == null) list = new java.util.ArrayList<>(1);
        list.add(value);
        return list;
    }

    static void checkFraming(Request r, Limits limits) throws HttpError {
        List<String> te = r.transferEncodings;
        List<String> cl = r.contentLengths;
        if (te != null) {
            if (cl != null) throw new HttpError(400, "both Content-Length and Transfer-Encoding (refused: request smuggling)");
            if (r.minor == 0) throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
            String last = null;
            int codings = 0;
            for (String v : te) {
                for (String c : v.split(",", -1)) {
                    String coding = c.trim();
                    if (coding.isEmpty()) continue;
                    codings++;
                    last = coding;
                }
            }
            if (last == null || !last.equalsIgnoreCase("chunked")) throw new HttpError(400, "Transfer-Encoding does not end with chunked");
            if (codings > 1) throw new HttpError(501, "only the chunked transfer coding is supported");
            r.contentLength = -1;
        } else if (cl != null) {
            long len = -1;
            for (String v : cl) {
                for (String part : v.split(",", -1)) {
                    String p = part.trim();
                    if (p.isEmpty()) throw new HttpError(400, "malformed Content-Length");
                    // by value: leading zeros are allowed (1*DIGIT), a value past any limit is 413
                    long n = 0;
                    boolean huge = false;
                    for (int i = 0; i < p.length(); i++) {
                        char c = p.charAt(i);
                        if (c < '0' || c > '9') throw new HttpError(400, "malformed Content-Length");
                        if (n > (Long.MAX_VALUE - 9) / 10) huge = true;
                        else n = n * 10 + (c - '0');
                    }
                    if (huge) throw new HttpError(413, "body longer than " + limits.maxBodyBytes + " bytes");
                    if (len >= 0 && n != len) throw new HttpError(400, "differing Content-Length values (refused: request smuggling)");
                    len = n;
                }
            }
            if (len > limits.maxBodyBytes) throw new HttpError(413, "body of " + len + " bytes is longer than " + limits.maxBodyBytes);
            r.contentLength = len;
        } else {
            r.contentLength = 0;
        }
        if (r.hosts == 0) {
            if (r.minor == 1) throw new HttpError(400, "HTTP/1.1 request without Host");
        } else if (r.hosts > 1) {
            throw new HttpError(400, "more than one Host");
        }
        boolean close = false, keepAlive = false;
        List<String> conn = r.connection;
        if (conn != null) {
            for (String v : conn) {
                for (String token : v.split(",")) {
                    String t = token.trim();
                    if (t.equalsIgnoreCase("close")) close = true;
                    else if (t.equalsIgnoreCase("keep-alive")) keepAlive = true;
                }
            }
        }
        r.keepAlive = r.minor == 1 ? !close : keepAlive && !close;
        String expect = r.expect;
        if (expect != null) {
            if (!expect.trim().equalsIgnoreCase("100-continue")) throw new HttpError(417, "unsupported expectation: " + expect);
            r.expectContinue = r.minor == 1;
        }
    }
}
