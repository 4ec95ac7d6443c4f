package io.coop;

import java.util.Arrays;

/**
 * The greenlets waiting on one channel or descriptor, each with the readiness bits it waits for
 * (selection-key ops or epoll events): what {@link Hub#waitIo} and {@link FdPoller} keep per
 * channel. Plain arrays, because a socket's wait list is touched on every wait and almost always
 * holds one waiter. Hub thread only.
 *
 * <pre>{@code
 * waiters.add(w, SelectionKey.OP_READ);
 * int woken = waiters.wake(key.readyOps());   // wakes and drops the waiters whose bits are ready
 * }</pre>
 */
final class IoWaiters {
    @SuppressWarnings("unchecked")
    private Waiter<Void>[] waiters = new Waiter[2];
    private int[] ops = new int[2];
    private int size;

    void add(Waiter<Void> w, int op) {
        if (size == waiters.length) {
            waiters = Arrays.copyOf(waiters, size * 2);
            ops = Arrays.copyOf(ops, size * 2);
        }
        waiters[size] = w;
        ops[size] = op;
        size++;
    }

    /** Drops {@code w} if it is still here (a wait that ended without a wake-up from this list). */
    void remove(Waiter<Void> w) {
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
    int wake(int ready) {
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

    /** The bits some waiter waits for. */
    int interest() {
        int interest = 0;
        for (int i = 0; i < size; i++) interest |= ops[i];
        return interest;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void removeAt(int i) {
        size--;
        System.arraycopy(waiters, i + 1, waiters, i, size - i);
        System.arraycopy(ops, i + 1, ops, i, size - i);
        waiters[size] = null;
    }
}
