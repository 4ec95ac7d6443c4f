package io.coop.net;

import io.coop.Coop;
import io.coop.WaitQueue;

/** A count of free connection slots, handed first in first out (a small semaphore on the hub). */
final class Slots {
    private static final long FOREVER = Coop.deadline(null, "timeout");
    private final int capacity;
    private int free;
    private final WaitQueue<Void> waiters = new WaitQueue<>();

    Slots(int capacity) {
        this.capacity = capacity;
        this.free = capacity;
    }

    /** Takes a slot, waiting for one while all are in use. */
    void acquire(Object what) {
        if (free > 0 && waiters.isEmpty()) {
            free--;
            return;
        }
        waiters.await(what, FOREVER); // woken means a slot was handed over
    }

    /** Gives a slot back: straight to the first waiter, if any. */
    void release() {
        if (!waiters.wakeOne(null)) free++;
    }

    int inUse() {
        return capacity - free;
    }

    int capacity() {
        return capacity;
    }
}
