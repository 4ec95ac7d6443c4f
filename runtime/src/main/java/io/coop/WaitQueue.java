package io.coop;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Greenlets waiting their turn, first in first out: what every coop lock and queue keeps its
 * waiters in. A waiter that gives up (timeout, kill) leaves the line; one that was woken is
 * already out of it and keeps what it was handed. The line is an intrusive doubly-linked list
 * (each {@link Waiter} holds its neighbours), so joining, leaving from anywhere in the line and
 * waking the first are all O(1): killing n waiters costs O(n), not O(n^2).
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
    /** The first and last waiter in line, linked through {@code Waiter.prevInLine}/{@code nextInLine}. */
    private Waiter<T> first;
    private Waiter<T> last;
    private int size;

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
        link(w);
        boolean woken = false;
        try {
            woken = w.await(deadlineNanos);
        } finally {
            if (!w.isWoken()) unlink(w);
        }
        return woken ? w : null;
    }

    /** Removes the first waiter without waking it, or returns null. */
    public Waiter<T> poll() {
        Waiter<T> w = first;
        if (w != null) unlink(w);
        return w;
    }

    /** The first waiter, still in line, or null. */
    public Waiter<T> peek() {
        return first;
    }

    /** Wakes the first waiter with {@code value}; false if nobody waits. */
    public boolean wakeOne(T value) {
        Waiter<T> w = poll();
        if (w == null) return false;
        w.wake(value);
        return true;
    }

    /** Wakes every waiter with {@code value}, in the order they came; returns how many. */
    public int wakeAll(T value) {
        int n = 0;
        Waiter<T> w;
        while ((w = poll()) != null) {
            w.wake(value);
            n++;
        }
        return n;
    }

    /** True when nobody waits. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** How many wait. */
    public int size() {
        return size;
    }

    /** The waiters in line, first first (for introspection; read-only). */
    public Iterator<Waiter<T>> iterator() {
        return new Iterator<>() {
            private Waiter<T> next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Waiter<T> next() {
                Waiter<T> w = next;
                if (w == null) throw new NoSuchElementException();
                next = w.nextInLine;
                return w;
            }
        };
    }

    /** Appends {@code w} to the line. */
    private void link(Waiter<T> w) {
        if (w.line != null) throw new IllegalStateException(w + " already waits in a line");
        w.line = this;
        w.prevInLine = last;
        w.nextInLine = null;
        if (last == null) first = w;
        else last.nextInLine = w;
        last = w;
        size++;
    }

    /** Takes {@code w} out of the line wherever it stands; does nothing if it is not in this line. */
    private void unlink(Waiter<T> w) {
        if (w.line != this) return;
        Waiter<T> p = w.prevInLine;
        Waiter<T> n = w.nextInLine;
        if (p == null) first = n;
        else p.nextInLine = n;
        if (n == null) last = p;
        else n.prevInLine = p;
        w.prevInLine = w.nextInLine = null;
        w.line = null;
        size--;
    }
}
