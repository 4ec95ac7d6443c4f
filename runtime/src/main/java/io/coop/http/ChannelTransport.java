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

    ChannelTransport(SocketChannel channel, Hub hub, InetSocketAddress remote, long writeTimeoutNanos) {
        this.channel = channel;
        this.hub = hub;
        this.remote = remote;
        this.writeTimeoutNanos = writeTimeoutNanos;
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
            if (n != 0) {
                if (!waited) Hub.yieldIfHeld(); // data without a wait: a fast sender must not keep the hub
                return n;
            }
            if (!hub.waitIo(channel, SelectionKey.OP_READ, deadline)) throw new SocketTimeoutException("read timed out");
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
            if (n == 0) {
                if (deadline == 0) deadline = writeTimeoutNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + writeTimeoutNanos;
                if (!hub.waitIo(channel, SelectionKey.OP_WRITE, deadline)) throw new SocketTimeoutException("write timed out");
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
