package io.coop.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A request's body: Content-Length bytes, or chunked. Reading past the body gives -1, never the
 * next pipelined request. Errors (a malformed chunk, a body over the limit, a read timeout) are
 * {@link HttpError}s remembered by the exchange, which answers with their status when the handler
 * has not answered yet.
 */
final class RequestBody extends InputStream {
    private final HttpInput in;
    private final Limits limits;
    private final Exchange exchange;
    private final boolean chunked;
    /** Fixed: bytes left. Chunked: bytes left in the current chunk (-1 before the first chunk). */
    private long remaining;
    private long total;
    private boolean eof, closed;
    HttpError error;
    boolean started;
    private byte[] one;

    RequestBody(HttpInput in, Limits limits, Exchange exchange, long contentLength) {
        this.in = in;
        this.limits = limits;
        this.exchange = exchange;
        this.chunked = contentLength < 0;
        this.remaining = chunked ? -1 : contentLength;
        this.eof = contentLength == 0;
    }

    /** True when the whole body has been read. */
    boolean isComplete() {
        return eof;
    }

    @Override
    public int read() throws IOException {
        if (one == null) one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("the request body stream is closed");
        if (error != null) throw error;
        if (len == 0) return 0;
        if (eof) return -1;
        if (!started) {
            started = true;
            exchange.sendContinueIfExpected();
        }
        try {
            return chunked ? readChunked(b, off, len) : readFixed(b, off, len);
        } catch (HttpError e) {
            throw fail(e);
        } catch (SocketTimeoutException e) {
            throw fail(new HttpError(408, "timed out reading the request body: " + e.getMessage()));
        } catch (EOFException e) {
            HttpError ended = new HttpError(400, "the connection ended inside the request body");
            ended.initCause(e);
            throw fail(ended);
        }
    }

    private HttpError fail(HttpError e) {
        error = e;
        return e;
    }

    private int readFixed(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException();
        remaining -= n;
        if (remaining == 0) eof = true;
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            if (remaining == 0) readChunkEnd();
            remaining = readChunkSize();
            if (remaining == 0) {
                readTrailers();
                eof = true;
                return -1;
            }
            total += remaining;
            if (total > limits.maxBodyBytes) throw new HttpError(413, "body longer than " + limits.maxBodyBytes + " bytes");
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException();
        remaining -= n;
        return n;
    }

    private void readChunkEnd() throws IOException {
        if (!in.readLine(0, 400, "chunk end")) throw new EOFException();
        if (in.lineEnd != in.lineStart) throw new HttpError(400, "chunk data not followed by CRLF");
    }

    private long readChunkSize() throws IOException {
        if (!in.readLine(limits.maxChunkLine, 400, "chunk size line")) throw new EOFException();
        byte[] buf = in.buf;
        int i = in.lineStart, end = in.lineEnd;
        long size = 0;
        int digits = 0;
        for (; i < end; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0 || buf[i] < 0) break;
            digits++;
            // by value: leading zeros are harmless, and anything over the body limit is refused anyway
            if (size > limits.maxBodyBytes >> 4) throw chunkTooLarge();
            size = size * 16 + d;
        }
        if (digits == 0) throw new HttpError(400, "malformed chunk size");
        if (size > limits.maxBodyBytes) throw chunkTooLarge();
        // RFC 9112: chunk-size [ chunk-ext ] CRLF, where whitespace (BWS) may come only before a ';'
        int afterSize = i;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) i++;
        if (i < end ? buf[i] != ';' : i > afterSize) throw new HttpError(400, "malformed chunk size");
        for (; i < end; i++) {
            int c = buf[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new HttpError(400, "control character in a chunk extension");
        }
        return size;
    }

    private HttpError chunkTooLarge() {
        return new HttpError(413, "chunk size larger than the body limit of " + limits.maxBodyBytes + " bytes");
    }

    private void readTrailers() throws IOException {
        int bytes = 0, count = 0;
        while (true) {
            if (!in.readLine(Math.max(0, limits.maxHeaderBytes - bytes), 431, "trailer section")) throw new EOFException();
            int len = in.lineEnd - in.lineStart;
            if (len == 0) return;
            bytes += len + 2;
            if (++count > limits.maxHeaderCount) throw new HttpError(431, "too many trailer fields");
            RequestParser.parseHeader(in.buf, in.lineStart, in.lineEnd, null);
        }
    }

    /**
     * Reads and drops what is left of the body, up to {@code max} bytes, so the connection can
     * serve its next request; false if the body was longer, broken, or not yet read while the
     * client waits for "100 Continue".
     */
    boolean drain(int max) {
        if (eof) return true;
        if (error != null || closedUnread()) return false;
        byte[] scratch = new byte[Math.min(max, 4096)];
        long dropped = 0;
        started = true; // never send 100 Continue just to drain
        try {
            while (!eof) {
                int n = chunked ? readChunked(scratch, 0, scratch.length) : readFixed(scratch, 0, scratch.length);
                if (n < 0) break;
                dropped += n;
                if (dropped > max) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean closedUnread() {
        return exchange.request.expectContinue && !exchange.continueSent;
    }

    @Override
    public void close() {
        closed = true;
    }
}
