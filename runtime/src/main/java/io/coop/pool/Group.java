package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.Waiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * A set of greenlets managed together (gevent's {@code gevent.pool.Group}): spawn into it, wait for
 * all of it, kill all of it, and map a function over an input with one greenlet per item. A
 * greenlet leaves the group by itself when it dies.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     Group group = new Group();
 *     group.spawn(() -> fetch("a"));
 *     group.spawn(() -> fetch("b"));
 *     group.join();                                           // both done
 *
 *     List<Integer> lengths = group.map(String::length, List.of("x", "yy", "zzz"));   // [1, 2, 3]
 *     for (String page : group.imapUnordered(url -> fetch(url), urls)) {
 *         System.out.println(page);                           // in the order they finish
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>A group belongs to the hub of the thread that made it, and is used from that hub's greenlets
 * only (like every coop object, it needs no locks). {@link Pool} is a group with a bound on how
 * many greenlets run at once.
 *
 * <p>The mapping methods share one engine ({@link MapResults}): a feeder greenlet walks the input
 * lazily and spawns one greenlet per item into this group (on a {@link Pool}, it waits for a free
 * slot before each), and the results are handed to the reader as they come. A failure of an item
 * ends the mapping: the rest of its work is killed and the failure is rethrown to the reader. A
 * worker killed from outside (for instance by {@link #kill()}) shows up as a
 * {@link CancellationException} whose cause is the {@link GreenletExit}.
 */
public class Group implements Iterable<Greenlet<?>> {
    /** What {@link Coop#deadline} returns for "no limit". */

    final Hub hub;
    /** Members, in the order they were added, with the listener that discards each when it dies. */
    private final Map<Greenlet<?>, Runnable> members = new LinkedHashMap<>();
    /** Greenlets waiting in {@link #join(Duration, boolean)} without raiseError: woken when the group is empty. */
    private final WaitQueue<Greenlet<?>> joiners = new WaitQueue<>();
    /** Joiners with raiseError: woken with null when the group is empty, or with the member that failed. */
    private final WaitQueue<Greenlet<?>> raisingJoiners = new WaitQueue<>();
    /** Mappings still feeding work into this group, stopped by {@link #kill}. */
    final Set<MapResults<?>> mappings = new LinkedHashSet<>();
    /** Mapping feeders that still have items to start and are not paused for their reader: join waits for them. */
    int feeding;

    /** An empty group of the calling thread's hub. */
    public Group() {
        this.hub = Hub.current();
    }

    // ---------------------------------------------------------------- membership

    /**
     * Adds {@code greenlet} (started or not) to the group; it leaves by itself when it dies.
     * Adding a member again, or a greenlet that is already dead, does nothing.
     */
    public void add(Greenlet<?> greenlet) {
        add(greenlet, null);
    }

    /**
     * As {@link #add(Greenlet)}, waiting at most {@code timeout} (null: no limit) for room; true if
     * the greenlet is a member (or dead) on return. A plain group always has room: only a
     * {@link Pool} can return false.
     */
    public boolean add(Greenlet<?> greenlet, Duration timeout) {
        Objects.requireNonNull(greenlet, "greenlet");
        Coop.deadline(timeout, "timeout");
        checkThread();
        if (!greenlet.isDead()) addMember(greenlet);
        return true;
    }

    /** Puts a greenlet in the set (it is not a member yet and not dead). */
    final void addMember(Greenlet<?> g) {
        Runnable onDeath = new Runnable() {
            @Override
            public void run() {
                if (members.get(g) == this) discard(g);
            }

            @Override
            public String toString() {
                return "leave " + Group.this;
            }
        };
        members.put(g, onDeath);
        g.addReadyListener(onDeath);
    }

    /**
     * Removes {@code greenlet} from the group without touching it (on a {@link Pool} this frees
     * its slot); true if it was a member.
     */
    public boolean discard(Greenlet<?> greenlet) {
        Objects.requireNonNull(greenlet, "greenlet");
        checkThread();
        Runnable onDeath = members.remove(greenlet);
        if (onDeath == null) return false;
        greenlet.removeReadyListener(onDeath);
        if (greenlet.isDead() && greenlet.exception() != null) raisingJoiners.wakeAll(greenlet);
        released(greenlet);
        signalIfEmpty();
        return true;
    }

    /** Called when a member leaves (it died or was discarded): a {@link Pool} frees its slot here. */
    void released(Greenlet<?> greenlet) {
    }

    /** True when nothing is in the group, nor about to be (a {@link Pool} counts slots handed out). */
    boolean quiet() {
        return members.isEmpty() && feeding == 0;
    }

    final void signalIfEmpty() {
        if (quiet()) {
            joiners.wakeAll(null);
            raisingJoiners.wakeAll(null);
        }
    }

    /** True if {@code greenlet} is a member (it leaves by itself when it dies). */
    public boolean contains(Greenlet<?> greenlet) {
        return members.containsKey(greenlet);
    }

    /** How many greenlets are in the group (gevent's {@code len(group)}). */
    public int size() {
        return members.size();
    }

    /** True when the group holds no greenlet. */
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** The members now, in the order they were added (a copy). */
    public List<Greenlet<?>> greenlets() {
        return List.copyOf(members.keySet());
    }

    /** Iterates over a copy of the members, so the group may change meanwhile. */
    @Override
    public Iterator<Greenlet<?>> iterator() {
        return greenlets().iterator();
    }

    // ---------------------------------------------------------------- spawning

    /** Starts a greenlet running {@code body} in the group (on a {@link Pool}, once a slot is free). */
    public <T> Greenlet<T> spawn(Callable<T> body) {
        return start(new Greenlet<>(Objects.requireNonNull(body, "body")));
    }

    /** Starts a greenlet running {@code body} in the group (on a {@link Pool}, once a slot is free). */
    public Greenlet<?> spawn(Runnable body) {
        Objects.requireNonNull(body, "body");
        return spawn(() -> {
            body.run();
            return null;
        });
    }

    /** Adds {@code greenlet} (waiting for a slot on a {@link Pool}) and starts it; returns it. */
    public <G extends Greenlet<?>> G start(G greenlet) {
        add(greenlet);
        greenlet.start();
        return greenlet;
    }

    // ---------------------------------------------------------------- waiting and killing

    /**
     * Waits until the group is empty. The items of a mapping count from the start: a join right
     * after {@link #imap} waits until the feeder has started them all and they are done, unless
     * the feeder pauses for its reader ({@code maxPending}).
     */
    public void join() {
        join(null, false);
    }

    /** Waits until the group is empty or {@code timeout} passes (null: no limit); true if it became empty. */
    public boolean join(Duration timeout) {
        return join(timeout, false);
    }

    /**
     * As {@link #join(Duration)}; with {@code raiseError}, the failure of a member that dies while
     * waiting is rethrown at once (as is when unchecked, else wrapped in
     * {@link java.util.concurrent.CompletionException}). A member cannot join its own group.
     */
    public boolean join(Duration timeout, boolean raiseError) {
        long deadline = Coop.deadline(timeout, "timeout");
        checkThread();
        Greenlet<?> me = Greenlet.current();
        if (contains(me)) throw new IllegalStateException(me + " is a member of " + this + " and cannot join it");
        if (quiet()) return true;
        Waiter<Greenlet<?>> w = (raiseError ? raisingJoiners : joiners).await("join of " + this, deadline);
        if (w == null) return false;
        Greenlet<?> failed = w.value();
        if (failed != null) throw Coop.unchecked(failed.exception());
        return true;
    }

    /** Kills every member with {@link GreenletExit} and waits until they are dead. */
    public void kill() {
        kill(null, true, null);
    }

    /**
     * Stops the group's mappings from feeding more work, then raises {@code exception} (null: a new
     * {@link GreenletExit} each) in every member. With {@code block}, waits up to {@code timeout}
     * (null: no limit) for them to die, killing any greenlet that joins the group meanwhile. A
     * member that calls this is killed last, after the others are dead (the exception is thrown
     * in it on return).
     */
    public void kill(Throwable exception, boolean block, Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout");
        checkThread();
        for (MapResults<?> m : List.copyOf(mappings)) m.stopFeeding();
        Greenlet<?> me = Greenlet.current();
        boolean killSelf = false;
        Set<Greenlet<?>> dying = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            List<Greenlet<?>> others = new ArrayList<>(members.size());
            for (Greenlet<?> g : greenlets()) {
                if (g == me) {
                    killSelf = true;
                } else {
                    others.add(g);
                    if (dying.add(g)) g.kill(exception != null ? exception : new GreenletExit(), false, null);
                }
            }
            if (!block || others.isEmpty()) break;
            Duration left = deadline == Hub.NO_DEADLINE ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (Coop.joinAll(others, left).size() < others.size()) break; // timed out
        }
        if (killSelf) me.kill(exception != null ? exception : new GreenletExit(), false, null); // throws
    }

    // ---------------------------------------------------------------- mapping

    /**
     * Runs {@code body} in a greenlet of the group and returns its result. When the caller is
     * itself a member, {@code body} runs directly in it, so a full {@link Pool} cannot deadlock
     * (gevent's rule). A failure is rethrown (a checked one wrapped in
     * {@link java.util.concurrent.CompletionException}); if the caller is interrupted while it
     * waits, the greenlet is killed.
     */
    public <T> T apply(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        checkThread();
        if (contains(Greenlet.current())) {
            try {
                return body.call();
            } catch (Exception e) {
                throw Coop.unchecked(e);
            }
        }
        Greenlet<T> g = spawn(body);
        try {
            g.join();
        } finally {
            if (!g.isDead()) g.kill(new GreenletExit("apply was interrupted"), false, null);
        }
        Throwable failure = MapResults.failureOf(g);
        if (failure != null) throw Coop.unchecked(failure);
        return g.value();
    }

    /**
     * Applies {@code fn} to every item of {@code input}, one greenlet per item in this group, and
     * returns the results in input order. The first failure (by time) is rethrown at once and the
     * rest of the work is killed; the same happens if the caller is interrupted.
     */
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> input) {
        try (MapResults<R> results = new MapResults<>(this, fn, input, true, true, 0)) {
            List<R> out = new ArrayList<>();
            for (R r : results) out.add(r);
            return out;
        }
    }

    /**
     * Applies {@code fn} to every item of {@code input}, one greenlet per item in this group, and
     * yields the results in input order, each as soon as it and those before it are done. The work
     * starts now; the input is read lazily by a feeder greenlet. On a plain group every item is
     * started at once, so the input must be finite; use a {@link Pool} or
     * {@link #imap(Function, Iterable, int)} for huge or endless inputs.
     */
    public <A, R> MapResults<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> input) {
        return new MapResults<>(this, fn, input, true, false, 0);
    }

    /**
     * As {@link #imap(Function, Iterable)}, starting a new item only while fewer than
     * {@code maxPending} items are running or done but not yet read, so memory stays bounded
     * when the reader is slower than the work.
     */
    public <A, R> MapResults<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> input, int maxPending) {
        return new MapResults<>(this, fn, input, true, false, checkMaxPending(maxPending));
    }

    /** As {@link #imap(Function, Iterable)}, but yields the results in the order the items finish. */
    public <A, R> MapResults<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> input) {
        return new MapResults<>(this, fn, input, false, false, 0);
    }

    /** As {@link #imap(Function, Iterable, int)}, but yields the results in the order the items finish. */
    public <A, R> MapResults<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> input, int maxPending) {
        return new MapResults<>(this, fn, input, false, false, checkMaxPending(maxPending));
    }

    private static int checkMaxPending(int maxPending) {
        if (maxPending <= 0) throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
        return maxPending;
    }

    // ---------------------------------------------------------------- helpers

    final void checkThread() {
        if (!hub.isHubThread()) {
            throw new IllegalStateException(this + " belongs to the hub of thread " + hub.thread().getName()
                    + "; called from " + Thread.currentThread());
        }
    }

    /** For {@link #toString()}: what is in the group. */
    String contents() {
        return "size=" + members.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + contents() + "]";
    }
}
