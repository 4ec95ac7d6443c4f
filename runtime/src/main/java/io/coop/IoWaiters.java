package io.coop;

import java.nio.channels.SelectableChannel;
import java.util.Arrays;

/**
 * The greenlets waiting on one channel or descriptor, each with the readiness bits it waits for
 * (selection-key ops or epoll events): an {@link IoDriver}'s line for one channel or descriptor
 * (each driver's per-channel record extends it). A waiter in a line has the line as its
 * {@link Waiter#attachment}, so the end of its wait finds it without a lookup. Plain arrays,
 * because a socket's wait list is touched on every wait and almost always holds one waiter.
 * Hub thread only.
 *
 * <pre>{@code
 * waiters.add(w, SelectionKey.OP_READ, null);
 * int woken = waiters.wake(key.readyOps());   // wakes and drops the waiters whose bits are ready
 * }</pre>
 */
class IoWaiters {
    @SuppressWarnings("unchecked")
    private Waiter<Void>[] waiters = new Waiter[2];
    private int[] ops = new int[2];
    /**
     * The channel each waiter waits on, where one line serves several channels over time (a
     * descriptor number the kernel hands out again): made when the first such waiter joins.
     */
    private SelectableChannel[] channels;
    private int size;

    /** Adds {@code w}, waiting for {@code op}; {@code channel} (or null) is what {@link #wakeClosed} checks. */
    final void add(Waiter<Void> w, int op, SelectableChannel channel) {
        if (size == waiters.length) {
            waiters = Arrays.copyOf(waiters, size * 2);
            ops = Arrays.copyOf(ops, size * 2);
            if (channels != null) channels = Arrays.copyOf(channels, size * 2);
        }
        if (channel != null && channels == null) channels = new SelectableChannel[waiters.length];
        waiters[size] = w;
        ops[size] = op;
        if (channels != null) channels[size] = channel;
        size++;
        w.attachment = this;
    }

    /** Drops {@code w} if it is still here (a wait that ended without a wake-up from this line). */
    final void remove(Waiter<Void> w) {
        for (int i = size - 1; i >= 0; i--) {
            if (waiters[i] == w) {
                removeAt(i);
                return;
            }
        }
    }

    /**
     * Wakes and drops, latest first, the waiters that wait for any of {@code ready} (-1: all).
     * Returns the bits the woken waiters waited for.
     */
    final int wake(int ready) {
        int woken = 0;
        for (int i = size - 1; i >= 0; i--) {
            int op = ops[i];
            if ((op & ready) != 0) {
                Waiter<Void> w = waiters[i];
                removeAt(i);
                woken |= op;
                w.wake(null);
            }
        }
        return woken;
    }

    /** Wakes and drops the waiters whose channel is closed: their next read or write fails instead of hanging. */
    final void wakeClosed() {
        if (channels == null) return;
        for (int i = size - 1; i >= 0; i--) {
            SelectableChannel ch = channels[i];
            if (ch != null && !ch.isOpen()) {
                Waiter<Void> w = waiters[i];
                removeAt(i);
                w.wake(null);
            }
        }
    }

    /** True when some waiter here waits on a channel (see {@link #wakeClosed}). */
    final boolean hasChannels() {
        if (channels == null) return false;
        for (int i = 0; i < size; i++) if (channels[i] != null) return true;
        return false;
    }

    /** The bits some waiter waits for. */
    final int interest() {
        int interest = 0;
        for (int i = 0; i < size; i++) interest |= ops[i];
        return interest;
    }

    final boolean isEmpty() {
        return size == 0;
    }

    final int size() {
        return size;
    }

    final Waiter<Void> waiterAt(int i) {
        return waiters[i];
    }

    final int opAt(int i) {
        return ops[i];
    }

    /** Drops every waiter without waking it (their waits move to another driver). */
    final void clear() {
        Arrays.fill(waiters, 0, size, null);
        if (channels != null) Arrays.fill(channels, 0, size, null);
        size = 0;
    }

    private void removeAt(int i) {
        size--;
        System.arraycopy(waiters, i + 1, waiters, i, size - i);
        System.arraycopy(ops, i + 1, ops, i, size - i);
        waiters[size] = null;
        if (channels != null) {
            System.arraycopy(channels, i + 1, channels, i, size - i);
            channels[size] = null;
        }
    }
}
