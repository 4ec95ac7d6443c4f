package io.coop.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * coop's {@link HttpExchange}: what a JDK {@code HttpHandler} is given. It behaves as the JDK's
 * own: response headers go out with {@link #sendResponseHeaders} (length &gt; 0 fixed, 0 chunked,
 * -1 none), the body through {@link #getResponseBody()}, and {@link #close()} ends the exchange.
 * The status line, headers and a small body leave in one write.
 */
final class Exchange extends HttpExchange {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final Request request;
    private final HttpConnection conn;
    private final HttpContext context;
    private final ResponseHeaders responseHeaders = new ResponseHeaders();
    final RequestBody requestBody;
    final ResponseBody responseBody;
    private InputStream in;
    private OutputStream out;
    int rcode = -1;
    boolean headersSent, continueSent, connectionBroken, closeAfter;
    private Map<String, Object> attributes;
    HttpPrincipal principal;

    Exchange(HttpConnection conn, Request request, HttpContext context, HttpInput input, Output output, Limits limits) {
        this.conn = conn;
        this.request = request;
        this.context = context;
        this.requestBody = new RequestBody(input, limits, this, request.contentLength);
        this.responseBody = new ResponseBody(this, output);
        this.in = requestBody;
        this.out = responseBody;
        this.closeAfter = !request.keepAlive;
    }

    void sendContinueIfExpected() throws IOException {
        if (request.expectContinue && !continueSent && !headersSent) {
            continueSent = true;
            conn.output.write(CONTINUE, 0, CONTINUE.length);
            conn.output.flush();
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return request.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.uri;
    }

    @Override
    public String getRequestMethod() {
        return request.method;
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        requestBody.close();
        try {
            if (headersSent) out.close();
        } catch (IOException e) {
            connectionBroken = true;
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    private static final byte[] STATUS_200 = ascii("HTTP/1.1 200 OK\r\n"), CONTENT_LENGTH = ascii("Content-length: "),
            CHUNKED = ascii("Transfer-encoding: chunked\r\n"), CLOSE = ascii("Connection: close\r\n"),
            KEEP_ALIVE = ascii("Connection: keep-alive\r\n"), COLON = ascii(": "), CRLF = ascii("\r\n");

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Writes the status line and the headers in one pass over the handler's headers: theirs but
     * Content-length and Transfer-encoding (and Connection when the server sets its own), then
     * the framing, Connection and Date the server adds. Those go into the header map as well, as
     * in the JDK's server, but only when the map is next used ({@link ResponseHeaders}).
     */
    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (headersSent) throw new IOException("headers already sent");
        if (rCode < 100 || rCode > 999) throw new IllegalArgumentException("status code out of range: " + rCode);
        if (responseLength < -1) throw new IllegalArgumentException("response length must be -1, 0 or positive: " + responseLength);
        headersSent = true;
        rcode = rCode;
        Output o = conn.output;
        boolean head = request.method.equals("HEAD");
        int mode;
        long length = -1; // the Content-length to send, or -1 for none
        boolean chunked = false;
        if (rCode < 200 || rCode == 204 || rCode == 304) {
            mode = head ? ResponseBody.DISCARD : ResponseBody.NONE;
        } else if (head) {
            mode = ResponseBody.DISCARD;
            if (responseLength > 0) length = responseLength;
            else if (responseLength == 0 && request.minor == 1) chunked = true;
            else length = 0;
        } else if (responseLength > 0) {
            mode = ResponseBody.FIXED;
            length = responseLength;
        } else if (responseLength == -1) {
            mode = ResponseBody.NONE;
            length = 0;
        } else if (request.minor == 1) {
            mode = ResponseBody.CHUNKED;
            chunked = true;
        } else {
            mode = ResponseBody.UNTIL_CLOSE;
            closeAfter = true;
        }
        if (conn.server != null && conn.server.stopping) closeAfter = true;
        // a client that sent Expect: 100-continue and got no 100 may still send its body: do not reuse
        if (request.expectContinue && !continueSent && !requestBody.isComplete()) closeAfter = true;

        if (rCode == 200) o.write(STATUS_200, 0, STATUS_200.length);
        else o.ascii("HTTP/1.1 " + rCode + " " + Status.reason(rCode) + "\r\n");
        boolean hasDate = false;
        ResponseHeaders h = responseHeaders;
        for (Map.Entry<String, List<String>> e : h.handlerEntries()) {
            String name = e.getKey(); // normalized by Headers: "Content-length", not "Content-Length"
            switch (name) {
                case "Content-length", "Transfer-encoding" -> {
                    continue; // the server's own framing replaces the handler's
                }
                case "Date" -> hasDate = true;
                case "Connection" -> {
                    if (!closeAfter) {
                        for (String v : e.getValue()) if (v != null && v.equalsIgnoreCase("close")) closeAfter = true;
                    }
                    if (closeAfter || request.minor == 0) continue; // replaced by the server's own below
                }
                default -> { }
            }
            for (String v : e.getValue()) {
                o.latin1(name);
                o.write(COLON, 0, 2);
                o.latin1(v == null ? "" : v);
                o.write(CRLF, 0, 2);
            }
        }
        if (length >= 0) {
            o.write(CONTENT_LENGTH, 0, CONTENT_LENGTH.length);
            o.decimal(length);
            o.write(CRLF, 0, 2);
        } else if (chunked) {
            o.write(CHUNKED, 0, CHUNKED.length);
        }
        String connection = null;
        if (closeAfter) {
            connection = "close";
            o.write(CLOSE, 0, CLOSE.length);
        } else if (request.minor == 0) {
            connection = "keep-alive";
            o.write(KEEP_ALIVE, 0, KEEP_ALIVE.length);
        }
        String date = null;
        if (!hasDate) {
            HttpDate now = HttpDate.current();
            date = now.text;
            o.write(now.line, 0, now.line.length);
        }
        o.write(CRLF, 0, 2);
        h.sent(length, chunked, connection, date);
        responseBody.length = responseLength;
        responseBody.mode = mode;
        if (mode == ResponseBody.NONE || mode == ResponseBody.DISCARD) responseFinished(); // the whole response
    }

    /** The whole response is in the output buffer: the connection sends it, or holds it for the next pipelined one. */
    void responseFinished() throws IOException {
        conn.responseFinished(this);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return conn.transport.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return rcode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return conn.transport.localAddress();
    }

    @Override
    public String getProtocol() {
        return request.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (attributes != null && attributes.containsKey(name)) return attributes.get(name);
        return context == null ? null : context.getAttributes().get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        java.util.Objects.requireNonNull(name, "name");
        if (attributes == null) attributes = new HashMap<>(4);
        if (value == null) attributes.remove(name);
        else attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) in = i;
        if (o != null) out = o;
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String toString() {
        return "Exchange[" + request.requestLine() + (rcode > 0 ? " -> " + rcode : "") + "]";
    }
}
