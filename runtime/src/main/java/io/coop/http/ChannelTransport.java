package io.coop.http;

import io.coop.Hub;
import io.coop.net.ChannelIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A {@link Transport} over a non-blocking socket channel: waits go through the hub ({@link ChannelIo}). */
final class ChannelTransport implements Transport, ChannelIo.Terms {
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private InetSocketAddress local;
    private final long writeTimeoutNanos;
    private final DataRate readRate, writeRate;

    ChannelTransport(SocketChannel channel, InetSocketAddress remote, long writeTimeoutNanos,
            long minBytesPerSecond, long rateGraceNanos) {
        this.channel = channel;
        this.remote = remote;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.readRate = new DataRate(minBytesPerSecond, rateGraceNanos);
        this.writeRate = new DataRate(minBytesPerSecond, rateGraceNanos);
    }

    @Override
    public void newExchange() {
        readRate.reset();
        writeRate.reset();
    }

    @Override
    public int read(byte[] b, int off, int len, long deadline) throws IOException {
        return ChannelIo.read(channel, ByteBuffer.wrap(b, off, len), deadline, false, this);
    }

    @Override
    public boolean awaitReadable(long deadline) {
        return Hub.current().waitIo(channel, SelectionKey.OP_READ, deadline);
    }

    @Override
    public void write(ByteBuffer... bufs) throws IOException {
        ChannelIo.write(channel, this, bufs);
    }

    @Override
    public int writeNow(ByteBuffer buf) throws IOException {
        int n = channel.write(buf);
        if (n > 0 && writeRate.enabled()) writeRate.transferred(n);
        return n;
    }

    // ---------------------------------------------------------------- the terms of reads and writes

    /** A read waits until the deadline it is given; a write up to the write timeout, counted from its first wait. */
    @Override
    public long deadline(int op, long given) {
        if (op == SelectionKey.OP_READ) return given;
        return writeTimeoutNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + writeTimeoutNanos;
    }

    @Override
    public ChannelIo.Pace pace(int op) {
        DataRate rate = op == SelectionKey.OP_READ ? readRate : writeRate;
        return rate.enabled() ? rate : null;
    }

    @Override
    public IOException closed() {
        return new SocketException("connection closed");
    }

    @Override
    public SocketTimeoutException timedOut(int op, boolean byPace) {
        boolean read = op == SelectionKey.OP_READ;
        if (!byPace) return new SocketTimeoutException(read ? "read timed out" : "write timed out");
        return new SocketTimeoutException(read
                ? "the client sent slower than the minimum data rate (" + readRate.describe() + ")"
                : "the client read slower than the minimum data rate (" + writeRate.describe() + ")");
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        if (local == null) {
            try {
                local = (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return local;
    }
}
