package io.coop.http;

import java.io.EOFException;
import java.io.IOException;

/**
 * The read side of a connection: a buffer borrowed from the pool while a request head or chunk
 * framing is being parsed, over a {@link Transport}. Lines are found in place (no copy); a line
 * longer than the buffer grows it up to the line's limit.
 */
final class HttpInput {
    private static final long NONE = Long.MAX_VALUE;

    private final Transport transport;
    private final BufferPool pool;
    byte[] buf;
    int pos, lim;
    /** Absolute deadline for the whole head being read, or NONE (then each read gets readTimeout). */
    long headDeadline = NONE;
    /** Absolute deadline for the whole request, head and body (the request timeout), or NONE. */
    long requestDeadline = NONE;
    final long readTimeoutNanos;
    /** Bytes consumed since {@link #markMessageStart()}: tells a timeout mid-request from an idle one. */
    long consumed;

    // the last line found by readLine: buf[lineStart, lineEnd), without CR LF
    int lineStart, lineEnd;

    /** The connection's output, whose held-back responses leave before any read from the transport; or null. */
    private final Output output;

    HttpInput(Transport transport, BufferPool pool, long readTimeoutNanos) {
        this(transport, pool, readTimeoutNanos, null);
    }

    HttpInput(Transport transport, BufferPool pool, long readTimeoutNanos, Output output) {
        this.transport = transport;
        this.pool = pool;
        this.readTimeoutNanos = readTimeoutNanos;
        this.output = output;
    }

    boolean hasBuffered() {
        return pos < lim;
    }

    void markMessageStart() {
        consumed = 0;
    }

    private long deadline() {
        long d = headDeadline;
        if (d == NONE && readTimeoutNanos > 0) d = System.nanoTime() + readTimeoutNanos;
        return Math.min(d, requestDeadline);
    }

    /**
     * Reads from the transport, telling a passed request deadline from a per-read timeout. What
     * was buffered is used up, so the responses held back for it leave first: the client may be
     * waiting for them before it sends more.
     */
    private int transportRead(byte[] b, int off, int len) throws IOException {
        if (output != null) {
            try {
                output.flushHeld();
            } catch (java.net.SocketTimeoutException e) {
                // the client does not read: a failed write, not a slow request (no 408 to write to it)
                throw new IOException("held responses not taken: " + e.getMessage(), e);
            }
        }
        try {
            return transport.read(b, off, len, deadline());
        } catch (java.net.SocketTimeoutException e) {
            if (requestDeadline != NONE && System.nanoTime() - requestDeadline >= 0) {
                throw new java.net.SocketTimeoutException("the request did not arrive within the request timeout");
            }
            throw e;
        }
    }

    /** Gives the buffer back to the pool when nothing is left in it (keeps small leftovers in a small array). */
    void release() {
        if (buf == null) return;
        int left = lim - pos;
        if (left == 0) {
            if (buf.length == pool.size) pool.give(buf);
            buf = null;
            pos = lim = 0;
        } else if (buf.length == pool.size && left <= 256) {
            byte[] small = new byte[left];
            System.arraycopy(buf, pos, small, 0, left);
            pool.give(buf);
            buf = small;
            pos = 0;
            lim = left;
        }
    }

    /** Makes room after lim (compacting, taking a pool buffer or growing up to {@code max}); false if full at max. */
    private boolean makeRoom(int max) {
        if (buf == null || (buf.length < pool.size && buf.length < max)) {
            byte[] nb = pool.take();
            int left = lim - pos;
            if (buf != null) System.arraycopy(buf, pos, nb, 0, left);
            buf = nb;
            pos = 0;
            lim = left;
        }
        if (lim < buf.length) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
            return true;
        }
        if (buf.length >= max) return false;
        byte[] nb = new byte[(int) Math.min(max, (long) buf.length * 2)];
        System.arraycopy(buf, 0, nb, 0, lim);
        if (buf.length == pool.size) pool.give(buf);
        buf = nb;
        return true;
    }

    /** Reads more into the buffer; -1 at end of stream. */
    private int fill(int max) throws IOException {
        if (!makeRoom(max)) return 0;
        int n = transportRead(buf, lim, buf.length - lim);
        if (n > 0) lim += n;
        return n;
    }

    /**
     * Finds the next line (LF or CR LF ended) and sets lineStart/lineEnd. Returns false at end of
     * stream before any byte of the line; throws {@link EOFException} at end of stream inside it,
     * and {@link HttpError} with {@code tooLong} when it is longer than {@code max}.
     */
    boolean readLine(int max, int tooLong, String what) throws IOException {
        int scanned = pos;
        while (true) {
            if (buf != null) {
                for (int i = scanned; i < lim; i++) {
                    if (buf[i] == '\n') {
                        int end = i;
                        if (end > pos && buf[end - 1] == '\r') end--;
                        if (end - pos > max) throw new HttpError(tooLong, what + " longer than " + max + " bytes");
                        lineStart = pos;
                        lineEnd = end;
                        consumed += i + 1 - pos;
                        pos = i + 1;
                        return true;
                    }
                }
                if (lim - pos > max + 1) throw new HttpError(tooLong, what + " longer than " + max + " bytes");
            }
            int before = buf == null ? 0 : lim - pos;
            int n = fill(max + 2);
            if (n == 0) throw new HttpError(tooLong, what + " longer than " + max + " bytes");
            if (n < 0) {
                if (before == 0) return false;
                throw new EOFException("end of stream inside " + what);
            }
            scanned = pos + before;
        }
    }

    /**
     * Reads body bytes: from the buffer first, else straight from the transport into {@code b}
     * (no buffer needed); -1 at end of stream.
     */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos < lim) {
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            consumed += n;
            if (pos == lim) release();
            return n;
        }
        int n = transportRead(b, off, len);
        if (n > 0) consumed += n;
        return n;
    }

    /** One byte, buffered; -1 at end of stream. */
    int readByte() throws IOException {
        if (pos >= lim) {
            int n = fill(pool.size);
            if (n < 0) return -1;
        }
        consumed++;
        return buf[pos++] & 0xff;
    }
}
