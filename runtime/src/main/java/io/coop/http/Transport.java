package io.coop.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What an HTTP connection reads from and writes to: a socket channel on the hub in the server,
 * bytes in memory in the parser's unit and fuzz tests.
 */
interface Transport {
    /**
     * Reads at least one byte, waiting until {@code deadline} ({@link System#nanoTime()} scale);
     * -1 at end of stream; {@link java.net.SocketTimeoutException} when the deadline passes.
     */
    int read(byte[] b, int off, int len, long deadline) throws IOException;

    /** Waits until a read would not block (data or end of stream); false if the deadline passed. */
    boolean awaitReadable(long deadline) throws IOException;

    /** Writes all of {@code bufs}, in one system call when the socket takes it. */
    void write(ByteBuffer... bufs) throws IOException;

    /**
     * Writes what the socket takes of {@code buf} now, never waiting (for a hub callback): the
     * count written. By default all of it, as a transport that never waits does.
     */
    default int writeNow(ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        write(buf);
        return n;
    }

    void shutdownOutput() throws IOException;

    /** A new request begins: per-request accounting (the minimum data rate) starts over. */
    default void newExchange() {
    }

    void close();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
