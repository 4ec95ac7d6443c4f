package io.coop;

import java.util.Objects;

/**
 * What runs when one {@link Waitable} becomes ready (gevent's {@code AbstractLinkable}): its links
 * (callbacks) and the greenlets that wait for it. The one implementation behind a greenlet's
 * {@code link}/{@code linkValue}/{@code linkException} and joiners, and behind the ready listeners
 * and waiters of {@link io.coop.sync.Event} and {@link io.coop.sync.AsyncResult}. Hub thread only;
 * the owner says when it has become ready ({@link #ready()}) and answers {@link Waitable#isReady()}.
 *
 * <ul>
 * <li><b>Links</b> run on the hub, in the order they were added, each once, all in one hub callback
 *     (a "round") posted when the owner becomes ready, or when a link is added to an owner that
 *     already is. A link added while a round runs, the owner still ready, runs in that round; one
 *     added while the owner is not ready (an {@code Event} cleared) waits for the next time it
 *     becomes ready. A link removed ({@link #remove}) before its turn does not run.
 * <li>A link that throws is <b>reported</b> (System.Logger {@code io.coop}), not propagated: the
 *     links after it still run. A link must not block (it runs as a hub callback).
 * <li><b>Waiters</b> ({@link #await}) are woken in one of two ways, chosen by the owner when it
 *     makes its links. {@link #waitersInTurn}: a waiter is a link like the others, woken in its
 *     turn in the round, so it resumes after the whole round has run (a greenlet's joiners: when
 *     {@code join()} returns, the links of the greenlet's death have run, a {@code Group} has
 *     dropped it). {@link #waitersFirst}: every waiter is woken at once by {@link #ready()}, first
 *     come first woken, ahead of the round, and without it (an {@code Event}'s {@code set()} hands
 *     the hub straight to its waiters; one that gives up leaves its line in O(1)).
 * </ul>
 *
 * <pre>{@code
 * // a one-shot flag built on Links (all on the hub thread)
 * final class Flag implements Waitable {
 *     private final Links links = Links.waitersFirst(this, Coop.hub());
 *     private boolean set;
 *
 *     public boolean isReady() { return set; }
 *     public void addReadyListener(Runnable l) { links.add(l); }
 *     public void removeReadyListener(Runnable l) { links.remove(l); }
 *     void set() { set = true; links.ready(); }
 *     void await() { if (!set) links.await(new Waiter<>("Flag.await"), Hub.NO_DEADLINE); }
 * }
 * }</pre>
 */
public final class Links {
    private final Waitable owner;
    private final Hub hub;
    /** Greenlets blocked in {@link #await}, woken by {@link #ready()}; null when waiters are links ({@link #waitersInTurn}). */
    private final WaitQueue<Void> waiters;
    /** The links in the order added, linked through {@code Link.next}; the first {@link #due} of them run in the current or posted round. */
    private Link first, last;
    private int size;
    /** How many links, from the first, are due; every link is due while the owner is ready. */
    private int due;
    /** True from posting a round until that round has ended. */
    private boolean posted;

    private Links(Waitable owner, Hub hub, boolean waitersFirst) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.waiters = waitersFirst ? new WaitQueue<>() : null;
    }

    /** Links of {@code owner} (on {@code hub}) whose waiters are woken at once by {@link #ready()}, before any link runs. */
    public static Links waitersFirst(Waitable owner, Hub hub) {
        return new Links(owner, hub, true);
    }

    /** Links of {@code owner} (on {@code hub}) whose waiters are links, woken in their turn in the round. */
    public static Links waitersInTurn(Waitable owner, Hub hub) {
        return new Links(owner, hub, false);
    }

    private static final class Link {
        final Object key;
        final Runnable action;
        Link next;

        Link(Object key, Runnable action) {
            this.key = key;
            this.action = action;
        }
    }

    /** Adds {@code listener}, removed by itself. */
    public void add(Runnable listener) {
        add(listener, listener);
    }

    /**
     * Adds {@code action} to run once the owner is ready (in a round posted now if it already is),
     * under {@code key} for {@link #remove}.
     */
    public void add(Object key, Runnable action) {
        hub.checkHubThread(owner, "link");
        Link l = new Link(key, action);
        if (last == null) first = l;
        else last.next = l;
        last = l;
        size++;
        if (owner.isReady()) {
            due = size;
            post();
        }
    }

    /** Removes every link added under {@code key} that has not run yet; harmless if none is left. */
    public void remove(Object key) {
        hub.checkHubThread(owner, "unlink");
        Link prev = null;
        int i = 0; // the position of l
        for (Link l = first; l != null; l = l.next) {
            if (l.key != key) {
                prev = l;
                i++;
                continue;
            }
            if (prev == null) first = l.next;
            else prev.next = l.next;
            if (l == last) last = prev;
            size--;
            if (i < due) due--;
        }
    }

    /**
     * The owner has become ready: wakes the waiters (with {@link #waitersFirst}) and makes every
     * link due, in a round posted now unless one is pending. Call it at each becoming ready.
     */
    public void ready() {
        if (waiters != null) waiters.wakeAll(null);
        if (size > 0) {
            due = size;
            post();
        }
    }

    /**
     * Blocks {@code w}'s owner (the caller) until the owner of these links is ready, or until
     * {@code deadlineNanos} ({@link Hub#NO_DEADLINE}: none): true if it became ready, false on
     * timeout. A pending kill or Timeout is thrown. The caller checks readiness first.
     */
    public boolean await(Waiter<Void> w, long deadlineNanos) {
        hub.checkHubThread(owner, "wait");
        if (waiters != null) return waiters.await(w, deadlineNanos) != null;
        Runnable wake = () -> w.wake(null);
        add(wake, wake);
        try {
            // blocks here, not through Waiter.await: a joiner parks with no frame more than before
            // Links (each frame under a park is copied into the parked greenlet's stack)
            return w.owner.block(w, deadlineNanos);
        } finally {
            if (!w.isWoken()) remove(wake);
        }
    }

    /** Greenlets waiting now in a {@link #waitersFirst} line (waiters that are links are not counted). */
    public int waiterCount() {
        return waiters == null ? 0 : waiters.size();
    }

    private void post() {
        if (!posted) {
            posted = true;
            hub.post(this::round);
        }
    }

    /** Runs the due links, first first; links made due meanwhile join the round. */
    private void round() {
        try {
            while (due > 0) {
                Link l = first;
                first = l.next;
                if (first == null) last = null;
                size--;
                due--;
                try {
                    l.action.run();
                } catch (Throwable t) {
                    hub.report("a link (ready listener) of " + owner + " failed", t);
                }
            }
        } finally {
            posted = false;
        }
    }
}
