package io.coop.pool;

import io.coop.Hub;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.WaitQueue;
import io.coop.Waiter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * The results of {@link Group#imap} and {@link Group#imapUnordered} (and, collected into a list,
 * of {@link Group#map}): a function applied to every item of an input, one greenlet per item in
 * a group, the results read as they come. It is its own iterator, so it can be read once.
 *
 * <pre>{@code
 * Pool pool = new Pool(10);
 * try (MapResults<String> pages = pool.imap(url -> fetch(url), urls)) {
 *     for (String page : pages) save(page);   // in input order, each as soon as it is ready
 * }                                           // close(): kills what still runs if the loop left early
 * }</pre>
 *
 * <p>The work starts when the mapping is made: a feeder greenlet reads the input lazily and spawns
 * one greenlet per item into the group, which on a {@link Pool} waits for a free slot before each
 * (so at most the pool's size run at once, and an endless input is fine). Reading blocks the
 * reading greenlet until the next result is there. When an item fails, the reader gets its
 * exception (at its place in the order for {@code imap}, at once for {@code map}); the mapping
 * then closes: the feeder and the items still running are killed and waited for. An item killed
 * from outside shows up as a {@link CancellationException} caused by its {@link GreenletExit}.
 * If reading the input throws, the reader gets that exception after the results of the items
 * read before it.
 *
 * @param <R> the type of the results
 */
public final class MapResults<R> implements Iterable<R>, Iterator<R>, AutoCloseable {
    private final Group group;
    private final boolean ordered;
    private final boolean failFast;
    private final int maxPending;
    private final Iterator<? extends Callable<? extends R>> tasks;
    private final Buffer buffer;
    /** Items spawned and not finished yet. */
    private final Set<Greenlet<?>> inFlight = new LinkedHashSet<>();
    private final WaitQueue<Void> readers = new WaitQueue<>();
    private final Greenlet<Object> feeder;
    private Waiter<Void> feederPause;
    private long started;
    private boolean feederDone;
    /** A failure the reader gets at its next call. */
    private Throwable urgent;
    /** A failure the reader gets after every result before it (the input failed, or the feeder was stopped). */
    private Throwable atEnd;
    private boolean closed;
    /** The group was killed: the feeder must start nothing more. */
    private boolean feedingStopped;
    /** Counted in {@link Group#feeding}: the feeder is alive and not paused for the reader. */
    private boolean countedAsFeeding;

    <A> MapResults(Group group, Function<? super A, ? extends R> fn, Iterable<? extends A> input, boolean ordered,
                   boolean failFast, int maxPending) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(input, "input");
        group.checkThread();
        Iterator<? extends A> items = Objects.requireNonNull(input.iterator(), "input.iterator()");
        this.group = group;
        this.ordered = ordered;
        this.failFast = failFast;
        this.maxPending = maxPending;
        this.tasks = new Iterator<Callable<R>>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public Callable<R> next() {
                A item = items.next();
                return () -> fn.apply(item);
            }
        };
        this.buffer = ordered ? new InOrder() : new AsFinished();
        this.feeder = new Greenlet<>(this::feed);
        feeder.setName((ordered ? "imap" : "imapUnordered") + "-feeder-" + feeder.name().substring("Greenlet-".length()));
        feeder.addReadyListener(this::feederEnded);
        group.mappings.add(this);
        countFeeding(true);
        feeder.start();
    }

    // ---------------------------------------------------------------- the feeder greenlet

    /** Spawns one greenlet per item; returns null, or the exception the input threw. */
    private Object feed() {
        try {
            while (!closed && !feedingStopped) {
                while (maxPending > 0 && inFlight.size() + buffer.size() >= maxPending) {
                    feederPause = new Waiter<>(this);
                    countFeeding(false); // a join need not wait for a reader
                    try {
                        feederPause.await();
                    } finally {
                        feederPause = null;
                        countFeeding(true);
                    }
                    if (closed) return null;
                }
                if (!tasks.hasNext()) return null;
                Callable<? extends R> task = tasks.next();
                long index = started;
                Greenlet<? extends R> g = group.spawn(task); // on a full Pool: waits for a slot
                started++;
                if (closed || feedingStopped) { // stopped while we waited for the slot: the item must not run
                    g.kill(new GreenletExit("the mapping was closed"), false, null);
                    return null;
                }
                inFlight.add(g);
                g.addReadyListener(() -> finished(index, g));
            }
            return null;
        } catch (GreenletExit e) {
            throw e;
        } catch (Throwable t) {
            return t; // the input failed: the reader gets it (returned, so the hub does not report it)
        }
    }

    /** Hub callback: item {@code index} is done (its group has already let it go). */
    private void finished(long index, Greenlet<?> g) {
        inFlight.remove(g);
        if (closed) return;
        Throwable failure = failureOf(g);
        if (failure != null && failFast) {
            if (urgent == null) urgent = failure;
        } else {
            buffer.put(index, g);
        }
        readers.wakeAll(null);
    }

    /** Hub callback: the feeder is dead. */
    private void feederEnded() {
        feederDone = true;
        countFeeding(false);
        if (closed) return;
        Throwable failure = feeder.exception();
        Object value = feeder.value();
        if (failure == null && value instanceof GreenletExit stop) {
            failure = cancelled("the mapping was stopped before it read all its input", stop);
        } else if (failure == null && value instanceof Throwable inputFailure) {
            failure = inputFailure;
        }
        if (failure != null) {
            if (!failFast) atEnd = failure;
            else if (urgent == null) urgent = failure;
        }
        readers.wakeAll(null);
    }

    private void countFeeding(boolean feeding) {
        if (feeding == countedAsFeeding) return;
        countedAsFeeding = feeding;
        if (feeding) {
            group.feeding++;
        } else {
            group.feeding--;
            group.signalIfEmpty();
        }
    }

    private void resumeFeeder() {
        Waiter<Void> w = feederPause;
        if (w != null) w.wake(null);
    }

    /** From {@link Group#kill}: no more items start; those running are the group's to kill. */
    void stopFeeding() {
        group.mappings.remove(this);
        feedingStopped = true;
        if (!feeder.isDead() && feeder != Greenlet.current()) {
            feeder.kill(new GreenletExit("the group was killed"), false, null);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Waits until the next result (or failure) is there; false once all are read or after {@link #close()}. */
    @Override
    public boolean hasNext() {
        group.checkThread();
        while (true) {
            if (closed) return false;
            if (urgent != null || buffer.ready()) return true;
            if (feederDone && inFlight.isEmpty()) {
                if (atEnd != null) {
                    urgent = atEnd;
                    atEnd = null;
                    return true;
                }
                closed = true; // all read
                group.mappings.remove(this);
                return false;
            }
            readers.await(this, Hub.NO_DEADLINE);
        }
    }

    /**
     * The next result, waiting for it if need be. If it is a failure, the mapping is closed and
     * the failure is thrown (as is when unchecked, else wrapped in
     * {@link java.util.concurrent.CompletionException}).
     */
    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) throw new NoSuchElementException(this + " has no more results");
        Throwable failure = urgent;
        R value = null;
        if (failure != null) {
            urgent = null;
        } else {
            Greenlet<?> g = buffer.take();
            resumeFeeder();
            failure = failureOf(g);
            value = (R) g.value();
        }
        if (failure != null) {
            close();
            throw Coop.unchecked(failure);
        }
        return value;
    }

    /** This object itself: it can be iterated once. */
    @Override
    public Iterator<R> iterator() {
        return this;
    }

    /**
     * Stops the mapping: no more items start, the feeder and the items still running are killed
     * and waited for (their finally blocks have run on return), and results not read yet are
     * dropped. Harmless once all results are read.
     */
    @Override
    public void close() {
        if (closed) return;
        group.checkThread();
        closed = true;
        group.mappings.remove(this);
        buffer.clear();
        readers.wakeAll(null);
        resumeFeeder();
        Greenlet<?> me = Greenlet.current();
        List<Greenlet<?>> rest = new ArrayList<>(inFlight.size() + 1);
        if (!feeder.isDead()) rest.add(feeder);
        rest.addAll(inFlight);
        rest.remove(me);
        if (!rest.isEmpty()) Coop.killAll(rest, new GreenletExit("the mapping was closed"), true, null);
    }

    // ---------------------------------------------------------------- helpers

    /** The failure of a finished greenlet: its exception, or a CancellationException if it was killed. */
    static Throwable failureOf(Greenlet<?> g) {
        if (g.exception() != null) return g.exception();
        if (g.value() instanceof GreenletExit exit) return cancelled(g.name() + " was killed", exit);
        return null;
    }

    private static CancellationException cancelled(String message, Throwable cause) {
        CancellationException c = new CancellationException(message);
        c.initCause(cause);
        return c;
    }

    @Override
    public String toString() {
        return "MapResults[" + (ordered ? "imap" : "imapUnordered") + " in " + group + ": " + started + " started, "
                + inFlight.size() + " running, " + buffer.size() + " waiting to be read"
                + (closed ? ", closed" : feederDone ? ", input done" : "") + "]";
    }

    /** Finished items waiting for the reader: the only thing imap and imapUnordered do differently. */
    private interface Buffer {
        void put(long index, Greenlet<?> g);

        /** True if {@link #take()} has something to give now. */
        boolean ready();

        Greenlet<?> take();

        int size();

        void clear();
    }

    /** imap: hands out item i only after items 0..i-1. */
    private static final class InOrder implements Buffer {
        private final HashMap<Long, Greenlet<?>> done = new HashMap<>();
        private long next;

        @Override
        public void put(long index, Greenlet<?> g) {
            done.put(index, g);
        }

        @Override
        public boolean ready() {
            return done.containsKey(next);
        }

        @Override
        public Greenlet<?> take() {
            return done.remove(next++);
        }

        @Override
        public int size() {
            return done.size();
        }

        @Override
        public void clear() {
            done.clear();
        }
    }

    /** imapUnordered: hands out items in the order they finished. */
    private static final class AsFinished implements Buffer {
        private final ArrayDeque<Greenlet<?>> done = new ArrayDeque<>();

        @Override
        public void put(long index, Greenlet<?> g) {
            done.addLast(g);
        }

        @Override
        public boolean ready() {
            return !done.isEmpty();
        }

        @Override
        public Greenlet<?> take() {
            return done.pollFirst();
        }

        @Override
        public int size() {
            return done.size();
        }

        @Override
        public void clear() {
            done.clear();
        }
    }
}
