package io.coop.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A response's body: fixed length, chunked (length 0 given to sendResponseHeaders), until close
 * (HTTP/1.0 streaming), or none. Bytes are buffered with the head until the buffer fills, the
 * body is complete, or {@link #flush()} is called: a streaming handler calls flush to push what it
 * wrote so far. A complete response may be held back a little longer when the next pipelined
 * request is already buffered (see {@link HttpConnection#responseFinished}).
 */
final class ResponseBody extends OutputStream {
    static final int NONE = 0, FIXED = 1, CHUNKED = 2, UNTIL_CLOSE = 3, DISCARD = 4;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Exchange exchange;
    private final Output out;
    int mode = -1;
    long length;
    long written;
    boolean closed;
    private byte[] one;

    ResponseBody(Exchange exchange, Output out) {
        this.exchange = exchange;
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (one == null) one = new byte[1];
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (mode < 0) throw new IOException("call sendResponseHeaders before writing the response body");
        if (closed) throw new IOException("the response body stream is closed");
        if (len == 0) return;
        switch (mode) {
            case DISCARD -> written += len;
            case NONE -> throw new IOException("this response has no body (status " + exchange.rcode + ")");
            case FIXED -> {
                if (written + len > length) {
                    throw new IOException("too many bytes to write: " + (written + len) + " for a response of Content-Length " + length);
                }
                out.write(b, off, len);
                written += len;
                if (written == length) exchange.responseFinished(); // complete: send it (or hold it for the next pipelined one)
            }
            case CHUNKED -> {
                written += len;
                String size = Integer.toHexString(len);
                if (len + size.length() + 4 <= out.room() || len <= 2048) {
                    out.ascii(size);
                    out.crlf();
                    out.write(b, off, len);
                    out.crlf();
                } else {
                    out.ascii(size);
                    out.crlf();
                    out.writeThrough(ByteBuffer.wrap(b, off, len), ByteBuffer.wrap(CRLF));
                }
            }
            default -> { // UNTIL_CLOSE
                written += len;
                out.write(b, off, len);
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    @Override
    public void flush() throws IOException {
        if (mode >= 0 && !exchange.connectionBroken) out.flush();
    }

    /** Ends the body: the last chunk, or a check that a fixed length was met. */
    @Override
    public void close() throws IOException {
        if (closed || mode < 0) return;
        closed = true;
        try {
            if (mode == CHUNKED) out.write(LAST_CHUNK, 0, LAST_CHUNK.length);
            if (mode == FIXED && written < length) {
                exchange.connectionBroken = true; // the client would wait for the rest
                throw new IOException("response closed after " + written + " of " + length + " bytes");
            }
            exchange.responseFinished();
        } catch (IOException e) {
            exchange.connectionBroken = true;
            throw e;
        }
    }
}
