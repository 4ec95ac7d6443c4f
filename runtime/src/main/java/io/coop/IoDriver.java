package io.coop;

import java.nio.channels.SelectableChannel;
import java.util.Locale;

/**
 * A hub's I/O readiness: where greenlets wait for channels and descriptors, and where the hub
 * sleeps when nothing is ready. Two kinds, each in its own file:
 * <ul>
 * <li>{@link SelectorDriver}: a {@link java.nio.channels.Selector}, portable and needing no JVM
 *   flag (library use without the agent). Channels only.</li>
 * <li>{@link EpollDriver}: one Linux epoll instance, used where {@code java.base/sun.nio.ch} is
 *   open to coop (always under the agent). Channels (by their descriptor) and raw descriptors
 *   (what the agent's socket, select and subprocess patches wait on).</li>
 * </ul>
 *
 * <p><b>Contract.</b> The hub asks, the driver answers: a driver never calls its hub, and wakes
 * a waiter only through {@link Waiter#wake} (via its {@link IoWaiters} line). All methods are
 * for the hub's thread, except {@link #wakeup()} (any thread) and {@link EpollDriver#stopAll}.
 * <ul>
 * <li>{@link #add}: {@code w} joins the line of {@code channel} (SelectionKey ops) or, when
 *   {@code channel} is null, of descriptor {@code fd} (POLLIN/POLLOUT; only where
 *   {@link #descriptors()}). From then on the driver wakes {@code w} when a poll finds the
 *   channel or descriptor ready for one of its ops, when it finds the channel closed (at most
 *   {@link #SWEEP_INTERVAL_NANOS} late), or on a stop of the descriptor. False when the wait
 *   would never block (nothing joined). Throws for a closed channel or ops it does not have.</li>
 * <li>{@link #leave}: the end of that wait, woken or not; once per {@code add} that returned true.</li>
 * <li>{@link #waiters()}: the waits between {@code add} and {@code leave}. The hub counts each
 *   as something that can still wake a greenlet ({@link LoopExit} only when there is none).</li>
 * <li>{@link #poll}: waits up to a timeout (negative: none, 0: just look) for readiness or a
 *   {@link #wakeup()}, then wakes the waiters found ready. With channel waiters it returns at
 *   least every {@link #SWEEP_INTERVAL_NANOS}, to look for closed channels.</li>
 * </ul>
 *
 * <p><b>Transitions.</b> A hub has no driver until its first I/O wait; {@link #open} then picks
 * one ({@code coop.io}: {@code epoll}, {@code selector}, default epoll where available). A hub on
 * a Selector that later needs raw descriptors (coop used before {@code Monkey.patchAll()})
 * switches for good: {@link #handOver} moves every wait in progress to the new epoll driver,
 * where it goes on waiting for the same channel (not woken early), and closes the Selector.
 * Nothing switches back.
 *
 * <pre>{@code
 * IoDriver io = IoDriver.open(hubThread, false);
 * if (io.add(channel, -1, SelectionKey.OP_READ, w)) {   // then block w's greenlet, and finally:
 *     io.leave(w);
 * }
 * io.poll(timeoutNanos);                              // in the hub loop: wakes the ready waiters
 * }</pre>
 */
abstract class IoDriver {
    /** How often, at most, each driver looks for channels closed under a waiter (a poll with channel waiters returns at least this often). */
    static final long SWEEP_INTERVAL_NANOS = 200_000_000L;

    private int waiters;

    /** The driver for a hub's first I/O wait; {@code descriptors}: that wait is for a raw descriptor. */
    static IoDriver open(Thread owner, boolean descriptors) {
        String choice = Config.get("io");
        choice = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        boolean epoll = switch (choice) {
            case "", "auto" -> descriptors || EpollDriver.isAvailable();
            case "epoll" -> true;
            case "selector" -> descriptors;
            default -> throw new IllegalArgumentException("coop.io must be epoll, selector or auto; got '" + choice + "'");
        };
        return epoll ? EpollDriver.open(owner) : new SelectorDriver();
    }

    /** Puts {@code w} in the line of {@code channel} or descriptor {@code fd}: see {@link IoDriver}. */
    final boolean add(SelectableChannel channel, int fd, int ops, Waiter<Void> w) {
        if (!join(channel, fd, ops, w)) return false;
        waiters++;
        return true;
    }

    /** The end of {@code w}'s wait, woken or not. */
    final void leave(Waiter<Void> w) {
        waiters--;
        if (w.attachment instanceof IoWaiters line) {
            line.remove(w); // still there unless a poll, sweep or stop woke it
            left(line);
        }
    }

    /** The waits in progress (between {@link #add} and {@link #leave}). */
    final int waiters() {
        return waiters;
    }

    /**
     * Moves every wait in progress to {@code next} (a driver that can wait on descriptors) and
     * closes this one; returns {@code next}. A wait that cannot move (its channel closed
     * meanwhile) is woken instead, so its next operation fails as it would have.
     */
    final IoDriver handOver(IoDriver next) {
        next.waiters += waiters;
        waiters = 0;
        moveWaitsTo(next);
        close();
        return next;
    }

    /** {@code w}'s wait for {@code channel}, moved here from another driver by {@link #handOver}. */
    final void rejoin(SelectableChannel channel, int ops, Waiter<Void> w) {
        try {
            if (join(channel, -1, ops, w)) return;
        } catch (RuntimeException e) {
            // closed meanwhile: woken below, its next operation says so
        }
        w.attachment = null;
        w.wake(null);
    }

    /** {@link #add} without the count: true if {@code w} joined a line. */
    abstract boolean join(SelectableChannel channel, int fd, int ops, Waiter<Void> w);

    /** After {@code w} left {@code line} (which may belong to a driver this one took over from). */
    abstract void left(IoWaiters line);

    /** For {@link #handOver}: {@code next.rejoin} for every waiter in a line here, then empty the lines. */
    abstract void moveWaitsTo(IoDriver next);

    /** Waits up to {@code timeoutNanos} (negative: no limit, 0: just look), then wakes the ready waiters. */
    abstract void poll(long timeoutNanos);

    /** Ends a {@link #poll} in progress, or makes the next one return at once. Any thread. */
    abstract void wakeup();

    /** True if {@link #add} takes raw descriptors. */
    abstract boolean descriptors();

    /** Releases what the driver holds (after a hand-over). */
    abstract void close();

    /** The kind, as {@link Hub#stats()} shows it. */
    abstract String kind();

    /** Milliseconds for a poll of {@code timeoutNanos}: -1 (no limit), 0, else rounded up to at least 1. */
    static int millis(long timeoutNanos) {
        if (timeoutNanos < 0) return -1;
        if (timeoutNanos == 0) return 0;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
    }
}
