package io.coop;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Greenlets waiting their turn, first in first out: what every coop lock and queue keeps its
 * waiters in. A waiter that gives up (timeout, kill) leaves the line; one that was woken is
 * already out of it and keeps what it was handed.
 *
 * <pre>{@code
 * // a one-slot mailbox, the way coop's primitives are built (all on the hub thread)
 * final class Mailbox<T> {
 *     private final WaitQueue<T> takers = new WaitQueue<>();
 *     private T item;
 *
 *     T take() {
 *         if (item != null) { T t = item; item = null; return t; }
 *         return takers.await("Mailbox.take", Hub.NO_DEADLINE).value();   // handed over by put
 *     }
 *
 *     void put(T t) {
 *         if (!takers.wakeOne(t)) item = t;                               // hand-off, or keep it
 *     }
 * }
 * }</pre>
 *
 * @param <T> the type of the value handed to a woken waiter
 */
public final class WaitQueue<T> {
    private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();

    /** An empty line. */
    public WaitQueue() {
    }

    /**
     * Joins the line and blocks until woken or until {@code deadlineNanos} ({@link Hub#NO_DEADLINE}
     * for none). Returns the waiter if it was woken (its value is what was handed over), else
     * null on timeout. A pending kill or Timeout is thrown and the line is left as it was.
     */
    public Waiter<T> await(Object what, long deadlineNanos) {
        return await(new Waiter<>(what), deadlineNanos);
    }

    /** As {@link #await(Object, long)} with a waiter the caller made (to set its attachment). */
    public Waiter<T> await(Waiter<T> w, long deadlineNanos) {
        waiters.addLast(w);
        boolean woken = false;
        try {
            woken = w.await(deadlineNanos);
        } finally {
            if (!w.isWoken()) waiters.remove(w);
        }
        return woken ? w : null;
    }

    /** Removes the first waiter without waking it, or returns null. */
    public Waiter<T> poll() {
        return waiters.pollFirst();
    }

    /** The first waiter, still in line, or null. */
    public Waiter<T> peek() {
        return waiters.peekFirst();
    }

    /** Wakes the first waiter with {@code value}; false if nobody waits. */
    public boolean wakeOne(T value) {
        Waiter<T> w = waiters.pollFirst();
        if (w == null) return false;
        w.wake(value);
        return true;
    }

    /** Wakes every waiter with {@code value}, in the order they came; returns how many. */
    public int wakeAll(T value) {
        int n = 0;
        Waiter<T> w;
        while ((w = waiters.pollFirst()) != null) {
            w.wake(value);
            n++;
        }
        return n;
    }

    /** True when nobody waits. */
    public boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** How many wait. */
    public int size() {
        return waiters.size();
    }

    /** The waiters in line, first first (for introspection). */
    public Iterator<Waiter<T>> iterator() {
        return waiters.iterator();
    }
}
