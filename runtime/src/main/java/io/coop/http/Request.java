package io.coop.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parsed request head. Its header fields are kept as the bytes that came (each line already
 * checked by the parser) and made into {@link Headers} only when asked for: a handler that never
 * looks at them costs no map, no list and no string per field.
 */
final class Request {
    String method;
    String target;
    URI uri;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    int minor;
    /** The body's length, or -1 when chunked. */
    long contentLength;
    boolean keepAlive;
    // the fields that frame the request, noted while parsing (no second lookup by name)
    int hosts;
    java.util.List<String> connection, contentLengths, transferEncodings;
    String expect;
    boolean expectContinue;

    /** The header fields' names and values, one after the other, in the order they came. */
    private byte[] fields;
    private int fieldsLen;
    /** Per field: where its name starts in {@link #fields}, its name's length, its value's length. */
    private int[] spans;
    private int count;
    private Headers headers;

    /** Notes a header field (the parser has checked it): name {@code b[ns, ne)}, value {@code b[vs, ve)}. */
    void addField(byte[] b, int ns, int ne, int vs, int ve) {
        int nl = ne - ns, vl = ve - vs;
        if (fields == null) {
            fields = new byte[Math.max(128, 2 * (nl + vl))];
            spans = new int[3 * 8];
        } else {
            if (fieldsLen + nl + vl > fields.length) fields = Arrays.copyOf(fields, Math.max(2 * fields.length, fieldsLen + nl + vl));
            if (3 * count + 3 > spans.length) spans = Arrays.copyOf(spans, 2 * spans.length);
        }
        System.arraycopy(b, ns, fields, fieldsLen, nl);
        System.arraycopy(b, vs, fields, fieldsLen + nl, vl);
        int s = 3 * count++;
        spans[s] = fieldsLen;
        spans[s + 1] = nl;
        spans[s + 2] = vl;
        fieldsLen += nl + vl;
    }

    /** The request's header fields (made on the first call, the same object after). */
    Headers headers() {
        Headers h = headers;
        if (h == null) {
            h = new Headers();
            for (int i = 0; i < count; i++) {
                int at = spans[3 * i], nl = spans[3 * i + 1], vl = spans[3 * i + 2];
                h.add(new String(fields, at, nl, StandardCharsets.ISO_8859_1), new String(fields, at + nl, vl, StandardCharsets.ISO_8859_1));
            }
            headers = h;
            fields = null;
            spans = null;
        }
        return h;
    }

    boolean chunked() {
        return contentLength < 0;
    }

    String protocol() {
        return minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    String requestLine() {
        return method + " " + target + " " + protocol();
    }
}
