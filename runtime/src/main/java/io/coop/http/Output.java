package io.coop.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The write side of a connection: a buffer borrowed from the pool for the span of one response,
 * so that the status line, the headers and a small body leave in one write. Between pipelined
 * requests it may also hold finished responses back ({@link #hold()}), so that a batch of them
 * leaves in one write: the front of the buffer, {@code [0, held)}, is then finished responses,
 * and what follows belongs to the response being written.
 */
final class Output {
    private final Transport transport;
    private final BufferPool pool;
    private byte[] buf;
    private int len;
    /** buf[0, held): finished responses held back to leave with the next one; 0 when none. */
    private int held;
    /** Writes handed to the transport (each one system call when the socket takes it all). */
    int writes;

    Output(Transport transport, BufferPool pool) {
        this.transport = transport;
        this.pool = pool;
    }

    private void ensure(int n) throws IOException {
        if (buf == null) buf = pool.take();
        if (len + n > buf.length) {
            if (len > 0) flush();
            if (n > buf.length) {
                byte[] big = new byte[n];
                pool.give(buf);
                buf = big;
            }
        }
    }

    int room() {
        return buf == null ? pool.size : buf.length - len;
    }

    void ascii(String s) throws IOException {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = len;
        for (int i = 0; i < n; i++) b[at + i] = (byte) s.charAt(i);
        len = at + n;
    }

    /** Latin-1 text, for header values (a char above 0xFF becomes '?'). */
    void latin1(String s) throws IOException {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = len;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b[at + i] = c <= 0xff ? (byte) c : (byte) '?';
        }
        len = at + n;
    }

    /** A non-negative number in decimal ASCII. */
    void decimal(long v) throws IOException {
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        ensure(digits);
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
    }

    void crlf() throws IOException {
        ensure(2);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    /** Appends {@code b}; a write larger than what is free goes out with the buffered bytes in one gathering write. */
    void write(byte[] b, int off, int n) throws IOException {
        if (buf != null && n <= buf.length - len) {
            System.arraycopy(b, off, buf, len, n);
            len += n;
        } else if (n <= pool.size / 2) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        } else {
            writeThrough(ByteBuffer.wrap(b, off, n), null);
        }
    }

    /** Writes the buffered bytes, then {@code a} and {@code b} (b may be null), together. */
    void writeThrough(ByteBuffer a, ByteBuffer b) throws IOException {
        writes++;
        held = 0;
        if (len > 0) {
            ByteBuffer head = ByteBuffer.wrap(buf, 0, len);
            len = 0;
            if (b == null) transport.write(head, a);
            else transport.write(head, a, b);
        } else if (b == null) {
            transport.write(a);
        } else {
            transport.write(a, b);
        }
    }

    void flush() throws IOException {
        if (len == 0) return;
        int n = len;
        len = 0;
        held = 0; // before the write, which may wait: the hub's writeHeldNow then finds nothing to do
        writes++;
        transport.write(ByteBuffer.wrap(buf, 0, n));
    }

    boolean hasPending() {
        return len > 0;
    }

    /** Holds everything buffered back (finished responses) until a later flush, {@link #flushHeld} or {@link #writeHeldNow}. */
    void hold() {
        held = len;
    }

    /** Writes the finished responses held back, if any, keeping what the current response has buffered after them. */
    void flushHeld() throws IOException {
        int n = held;
        if (n == 0) return;
        held = 0; // before the write, which may wait: the hub's writeHeldNow then finds nothing to do
        writes++;
        transport.write(ByteBuffer.wrap(buf, 0, n));
        drop(n);
    }

    /**
     * Writes what the socket takes now of the finished responses held back, never waiting: for a
     * hub callback, while the connection's greenlet waits for something else. What the socket
     * does not take stays held, for the greenlet's next write. A failure is left for that write to meet.
     */
    void writeHeldNow() {
        int n = held;
        if (n == 0) return;
        try {
            writes++;
            int k = transport.writeNow(ByteBuffer.wrap(buf, 0, n));
            held = n - k;
            drop(k);
        } catch (IOException e) {
            // the connection's next write fails the same way
        }
    }

    /** Removes the first {@code n} bytes of the buffer (written). */
    private void drop(int n) {
        if (n == 0) return;
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
    }

    /** Gives the buffer back (dropping anything unsent). */
    void release() {
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
        len = 0;
        held = 0;
    }
}
