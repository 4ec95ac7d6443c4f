package io.coop.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;

/** A parsed request head. */
final class Request {
    String method;
    String target;
    URI uri;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    int minor;
    final Headers headers = new Headers();
    /** The body's length, or -1 when chunked. */
    long contentLength;
    boolean keepAlive;
    // the fields that frame the request, noted while parsing (no second lookup by name)
    java.util.List<String> host, connection, contentLengths, transferEncodings;
    String expect;
    boolean expectContinue;

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
