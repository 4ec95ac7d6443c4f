package io.coop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The portable {@link IoDriver}: a {@link Selector} for the channels coop's own code waits on
 * ({@code Sockets.waitRead}, {@code Select}, {@code StreamServer}, {@code HttpServer}), for
 * library use on a JVM where coop may not reach {@code sun.nio.ch}. It cannot wait on raw
 * descriptors: a hub that needs them moves to an {@link EpollDriver}.
 *
 * <p>A channel closed by another greenlet while one waits on it is never reported ready (its key
 * is just cancelled): a sweep of the keys with waiters, at most every
 * {@link IoDriver#SWEEP_INTERVAL_NANOS}, wakes such waiters, so that their next read or write
 * fails with {@code ClosedChannelException} instead of hanging.
 *
 * <pre>{@code
 * IoDriver io = new SelectorDriver();
 * io.add(channel, -1, SelectionKey.OP_READ, w);
 * io.poll(-1);            // selects, wakes w once channel is readable
 * }</pre>
 */
final class SelectorDriver extends IoDriver {
    private final Selector selector;
    /** Keys that had a waiter since the last sweep (a key joins with its first waiter; a sweep drops those with none left). */
    private final ArrayList<SelectionKey> watchedKeys = new ArrayList<>();
    private long lastSweep = System.nanoTime();

    SelectorDriver() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the hub's selector", e);
        }
    }

    @Override
    boolean join(SelectableChannel channel, int fd, int ops, Waiter<Void> w) {
        if (channel == null) throw new UnsupportedOperationException("a Selector cannot wait on raw descriptor " + fd);
        try {
            SelectionKey key = channel.keyFor(selector);
            if (key == null || !key.isValid()) {
                // flush the cancelled key before registering again; the keys this finds ready are
                // not lost: a selector is level-triggered, so the next poll reports them again
                if (key != null) selector.selectNow(IGNORE);
                KeyWatch watch = new KeyWatch();
                key = channel.register(selector, 0, watch);
                watch.key = key;
            }
            KeyWatch watch = (KeyWatch) key.attachment();
            watch.add(ops, w);
            if (!watch.listed) {
                watch.listed = true;
                watchedKeys.add(key);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void left(IoWaiters line) {
        if (line instanceof KeyWatch watch) watch.left();
    }

    @Override
    void poll(long timeoutNanos) {
        if (!watchedKeys.isEmpty()) {
            long untilSweep = Math.max(0, lastSweep + SWEEP_INTERVAL_NANOS - System.nanoTime());
            if (timeoutNanos < 0 || timeoutNanos > untilSweep) timeoutNanos = untilSweep;
        }
        try {
            // each ready key straight to its waiters: the selected-key set would cost a set entry per ready key
            if (timeoutNanos == 0) selector.selectNow(DISPATCH);
            else selector.select(DISPATCH, Math.max(0, millis(timeoutNanos)));
        } catch (IOException e) {
            throw new UncheckedIOException("the hub's selector failed", e);
        }
        if (!watchedKeys.isEmpty()) sweepClosedChannels();
    }

    private static final Consumer<SelectionKey> IGNORE = key -> { };
    private static final Consumer<SelectionKey> DISPATCH = key -> ((KeyWatch) key.attachment()).dispatch(key.isValid() ? key.readyOps() : -1);

    /** Wakes the waiters of keys cancelled under them (their channel was closed). At most every SWEEP_INTERVAL_NANOS. */
    private void sweepClosedChannels() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) return;
        lastSweep = now;
        int kept = 0;
        for (int i = 0, n = watchedKeys.size(); i < n; i++) {
            SelectionKey key = watchedKeys.get(i);
            KeyWatch watch = (KeyWatch) key.attachment();
            if (!key.isValid()) watch.dispatch(-1);
            if (key.isValid() && !watch.isEmpty()) {
                watchedKeys.set(kept++, key);
            } else {
                watch.listed = false;
            }
        }
        watchedKeys.subList(kept, watchedKeys.size()).clear();
    }

    @Override
    void moveWaitsTo(IoDriver next) {
        for (SelectionKey key : selector.keys()) {
            KeyWatch watch = (KeyWatch) key.attachment();
            SelectableChannel channel = key.channel();
            for (int i = 0, n = watch.size(); i < n; i++) next.rejoin(channel, watch.opAt(i), watch.waiterAt(i));
            watch.clear();
        }
        watchedKeys.clear();
    }

    @Override
    void wakeup() {
        selector.wakeup();
    }

    @Override
    boolean descriptors() {
        return false;
    }

    @Override
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the hub's selector", e);
        }
    }

    @Override
    String kind() {
        return "selector";
    }

    /**
     * The greenlets waiting on one channel, and the interest ops of its key. Interest is set when
     * a greenlet starts waiting and, to spare a key update per wait, cleared lazily: a greenlet
     * that was just woken for an op usually waits for it again at once (read, write, read...),
     * so an op is dropped only when the selector reports it ready and nobody waits for it.
     */
    private static final class KeyWatch extends IoWaiters {
        /**
         * The ops kept after their waiters leave: the JDK reports them whenever the descriptor is
         * ready for them. Not OP_CONNECT: a connected socket stays writable but is never reported
         * connectable again, so a kept OP_CONNECT would wake the selector forever unseen.
         */
        private static final int KEPT = SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_ACCEPT;

        SelectionKey key;
        /** The key's interest ops as last set here (only this class sets them). */
        private int keyInterest;
        /** True while the key is in {@code watchedKeys}. */
        boolean listed;

        void add(int op, Waiter<Void> w) {
            if ((keyInterest & op) != op) {
                key.interestOps(keyInterest | op); // first: it throws for a cancelled key or a wrong op
                keyInterest |= op;
            }
            add(w, op, null);
        }

        /** After a waiter left: drop the ops nobody waits for that must not be kept. */
        void left() {
            int drop = keyInterest & ~KEPT & ~interest();
            if (drop != 0 && key.isValid()) key.interestOps(keyInterest &= ~drop);
        }

        void dispatch(int readyOps) {
            int woken = wake(readyOps);
            if (!key.isValid()) return;
            // ready, nobody waits, and nobody was just woken for it: a level-triggered selector
            // would report it again on every select
            int unwanted = readyOps & keyInterest & ~woken & ~interest();
            if (unwanted != 0) key.interestOps(keyInterest &= ~unwanted);
        }
    }
}
