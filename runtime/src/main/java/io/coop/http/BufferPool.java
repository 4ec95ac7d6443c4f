package io.coop.http;

import java.util.ArrayDeque;

/**
 * Byte arrays lent to connections while they parse or write, so an idle keep-alive connection
 * holds none. One pool per server; used only on the server's hub thread.
 */
final class BufferPool {
    final int size;
    private final int keep;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    BufferPool(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    byte[] take() {
        byte[] b = free.pollLast();
        return b != null ? b : new byte[size];
    }

    void give(byte[] b) {
        if (b != null && b.length == size && free.size() < keep) free.addLast(b);
    }

    int freeCount() {
        return free.size();
    }

    /** A pool for one-off use (tests): never keeps anything. */
    static BufferPool unpooled(int size) {
        return new BufferPool(size, 0);
    }
}
