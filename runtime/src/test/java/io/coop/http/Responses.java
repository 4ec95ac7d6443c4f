package io.coop.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Splits a server's output bytes into responses, checking that each is well-formed HTTP/1.1. */
final class Responses {
    record Resp(int status, Map<String, String> headers, String body) {
        String header(String n) {
            return headers.get(n.toLowerCase(Locale.ROOT));
        }
    }

    private final byte[] b;
    private int pos;

    private Responses(byte[] b) {
        this.b = b;
    }

    /** Every response in {@code out}; {@code heads} tells which requests were HEAD (in order; may be shorter). */
    static List<Resp> parse(byte[] out, List<Boolean> heads) {
        Responses r = new Responses(out);
        List<Resp> all = new ArrayList<>();
        while (r.pos < out.length) {
            Resp x = r.one(all.size() < heads.size() && heads.get(all.size()));
            if (x.status >= 200) all.add(x);
        }
        return all;
    }

    static List<Resp> parse(byte[] out) {
        return parse(out, List.of());
    }

    private String line() {
        int start = pos;
        while (pos < b.length && b[pos] != '\n') pos++;
        if (pos >= b.length) throw new IllegalStateException("truncated line at " + start + ": " + new String(b, StandardCharsets.ISO_8859_1));
        int end = pos++;
        if (end == start || b[end - 1] != '\r') throw new IllegalStateException("line not ended by CRLF");
        return new String(b, start, end - 1 - start, StandardCharsets.ISO_8859_1);
    }

    private Resp one(boolean head) {
        String status = line();
        if (!status.matches("HTTP/1\\.1 \\d{3} .*")) throw new IllegalStateException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> h = new LinkedHashMap<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int c = l.indexOf(':');
            if (c <= 0) throw new IllegalStateException("bad header: " + l);
            h.merge(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).trim(), (a, x) -> a + "," + x);
        }
        StringBuilder body = new StringBuilder();
        if (head || code < 200 || code == 204 || code == 304) {
            // none
        } else if (h.containsKey("transfer-encoding")) {
            if (h.containsKey("content-length")) throw new IllegalStateException("both CL and TE in a response");
            while (true) {
                int n = Integer.parseInt(line(), 16);
                if (n == 0) {
                    line();
                    break;
                }
                body.append(new String(b, pos, n, StandardCharsets.ISO_8859_1));
                pos += n;
                if (!line().isEmpty()) throw new IllegalStateException("chunk not followed by CRLF");
            }
        } else if (h.containsKey("content-length")) {
            int n = Integer.parseInt(h.get("content-length"));
            if (pos + n > b.length) throw new IllegalStateException("truncated body");
            body.append(new String(b, pos, n, StandardCharsets.ISO_8859_1));
            pos += n;
        } else {
            body.append(new String(b, pos, b.length - pos, StandardCharsets.ISO_8859_1));
            pos = b.length;
        }
        return new Resp(code, h, body.toString());
    }
}
