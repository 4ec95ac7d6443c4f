package io.coop.http;

import io.coop.Hub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A {@link Transport} over a non-blocking socket channel: waits go through the hub. */
final class ChannelTransport implements Transport {
    private final SocketChannel channel;
    private final Hub hub;
    private final InetSocketAddress remote;
    private InetSocketAddress local;
    private final long writeTimeoutNanos;
    private final DataRate readRate, writeRate;

    ChannelTransport(SocketChannel channel, Hub hub, InetSocketAddress remote, long writeTimeoutNanos) {
        this(channel, hub, remote, writeTimeoutNanos, 0, 0);
    }

    ChannelTransport(SocketChannel channel, Hub hub, InetSocketAddress remote, long writeTimeoutNanos,
            long minBytesPerSecond, long rateGraceNanos) {
        this.channel = channel;
        this.hub = hub;
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
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        boolean waited = false;
        while (true) {
            int n;
            try {
                n = channel.read(bb);
            } catch (ClosedChannelException e) {
                throw new SocketException("connection closed");
            }
            if (n > 0) readRate.transferred(n);
            if (n != 0) {
                if (!waited) Hub.yieldIfHeld(); // data without a wait: a fast sender must not keep the hub
                return n;
            }
            long now = System.nanoTime();
            long byRate = readRate.deadline(now);
            boolean ready = hub.waitIo(channel, SelectionKey.OP_READ, Math.min(deadline, byRate));
            readRate.waited(System.nanoTime() - now);
            if (!ready) {
                throw new SocketTimeoutException(byRate < deadline
                        ? "the client sent slower than the minimum data rate (" + readRate.describe() + ")" : "read timed out");
            }
            waited = true;
        }
    }

    @Override
    public boolean awaitReadable(long deadline) {
        return hub.waitIo(channel, SelectionKey.OP_READ, deadline);
    }

    @Override
    public void write(ByteBuffer... bufs) throws IOException {
        long deadline = 0;
        long remaining = 0;
        for (ByteBuffer b : bufs) remaining += b.remaining();
        while (remaining > 0) {
            long n;
            try {
                n = bufs.length == 1 ? channel.write(bufs[0]) : channel.write(bufs);
            } catch (ClosedChannelException e) {
                throw new SocketException("connection closed");
            }
            remaining -= n;
            if (n > 0) {
                writeRate.transferred(n);
            } else {
                long now = System.nanoTime();
                if (deadline == 0) deadline = writeTimeoutNanos == 0 ? Long.MAX_VALUE : now + writeTimeoutNanos;
                long byRate = writeRate.deadline(now);
                boolean ready = hub.waitIo(channel, SelectionKey.OP_WRITE, Math.min(deadline, byRate));
                writeRate.waited(System.nanoTime() - now);
                if (!ready) {
                    throw new SocketTimeoutException(byRate < deadline
                            ? "the client read slower than the minimum data rate (" + writeRate.describe() + ")" : "write timed out");
                }
            }
        }
        if (deadline == 0) Hub.yieldIfHeld(); // a write that never blocked: a fast reader must not keep the hub
    }

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
