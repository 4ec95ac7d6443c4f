package io.coop.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

/** A transport over bytes in memory, delivered in random pieces: the parser's tests without sockets. */
class MemoryTransport implements Transport {
    private final byte[] input;
    private int pos;
    private final Random pieces;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    boolean closed, outputShut;
    int writes;

    MemoryTransport(byte[] input, Random pieces) {
        this.input = input;
        this.pieces = pieces;
    }

    @Override
    public int read(byte[] b, int off, int len, long deadline) {
        if (closed) throw new IllegalStateException("read after close");
        if (pos >= input.length) return -1;
        int n = Math.min(len, input.length - pos);
        if (pieces != null) n = Math.min(n, 1 + pieces.nextInt(Math.min(n, 64)));
        System.arraycopy(input, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public boolean awaitReadable(long deadline) {
        return true;
    }

    @Override
    public void write(ByteBuffer... bufs) throws IOException {
        if (closed) throw new IllegalStateException("write after close");
        if (outputShut) throw new IOException("output shut down");
        writes++;
        for (ByteBuffer b : bufs) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            output.write(a);
        }
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    String outputText() {
        return output.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
