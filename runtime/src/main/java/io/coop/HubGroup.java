package io.coop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several hubs, one OS thread each, that work as one program: one hub per core, as Netty runs one
 * event loop per core. Each hub keeps its own greenlets, timers and I/O; work is handed to a hub
 * from any thread with {@link Hub#post} or {@code AsyncResult.spawnOn(hub, body)}, and
 * {@link #next()} picks hubs in turn.
 *
 * <pre>{@code
 * try (HubGroup hubs = HubGroup.start(2)) {
 *     List<AsyncResult<Long>> parts = new ArrayList<>();
 *     for (Hub hub : hubs.hubs()) parts.add(AsyncResult.spawnOn(hub, () -> count(hub)));
 *     long total = 0;
 *     for (AsyncResult<Long> p : parts) total += p.get();
 * }
 * }</pre>
 *
 * <p><b>The rule across hubs</b> (gevent's "cannot switch to a different thread"): a greenlet
 * uses the greenlets, events, queues, locks and servers of its own hub. Waiting on, joining,
 * linking or locking one that belongs to another hub throws {@link IllegalStateException} naming
 * both threads. What may cross: {@link Hub#post}, {@code AsyncResult.spawnOn}, and
 * {@code set()} of an {@code Event} or {@code AsyncResult} (posted to its hub). Code of the
 * JDK's own (java.util.concurrent, monitors, {@code Thread.join}) works across hubs as it works
 * across OS threads.
 *
 * <p><b>LoopExit.</b> A hub of a group cannot tell on its own that its greenlets wait for ever:
 * another hub may still post to it. The hubs of a group judge together: {@link LoopExit} is raised
 * when every hub of the group is idle with all of its greenlets in coop waits, nothing in any
 * inbox and no keep-alive open, in the root greenlet of every hub (the waiting {@code main}
 * under the agent); its message names the waits of every hub.
 *
 * <p>A hub belongs to at most one group. The threads a group starts ("coop-hub-N") are daemon
 * threads; {@link #close()} ends them (their greenlets are killed, as {@link Coop#run} does
 * when its body returns) and waits for them.
 */
public final class HubGroup implements AutoCloseable {
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final List<Hub> hubs;
    /** The hubs whose threads this group started (not the caller's own), with how to end them. */
    private final List<HubThread> started;
    private final AtomicInteger turn = new AtomicInteger();
    private volatile boolean closed;

    private HubGroup(List<Hub> hubs, List<HubThread> started) {
        this.hubs = Collections.unmodifiableList(hubs);
        this.started = started;
    }

    /** Starts {@code n} hubs, each on a new daemon OS thread ("coop-hub-N"). Any thread. */
    public static HubGroup start(int n) {
        checkSize(n, 1);
        return make(null, n);
    }

    /**
     * The calling thread's hub (first, at index 0) and {@code n - 1} new hub threads: how a
     * server's {@code hubs(n)} and the agent's {@code hubs=N} spread work while the caller's hub
     * keeps its share. Call it on a hub thread (a greenlet or the hub thread's own code).
     */
    public static HubGroup includingCurrent(int n) {
        checkSize(n, 1);
        Hub own = Hub.current();
        return make(own, n - 1);
    }

    private static void checkSize(int n, int min) {
        if (n < min) throw new IllegalArgumentException("a hub group needs at least " + min + " hub(s): " + n);
    }

    private static HubGroup make(Hub own, int newThreads) {
        List<Hub> hubs = new ArrayList<>(newThreads + 1);
        if (own != null) hubs.add(own);
        List<HubThread> started = new ArrayList<>(newThreads);
        // under the agent a hub thread's latch wait is a wait on its hub: the new threads wake it
        Hub caller = HubRegistry.ofCurrentThreadOrNull();
        Hub.KeepAlive alive = caller == null ? null : caller.keepAlive();
        try {
            for (int i = 0; i < newThreads; i++) {
                HubThread t = new HubThread("coop-hub-" + THREAD_NUMBER.incrementAndGet());
                started.add(t);
                hubs.add(t.awaitHub());
            }
        } catch (RuntimeException | Error e) {
            for (HubThread t : started) t.end();
            throw e;
        } finally {
            if (alive != null) alive.close();
        }
        HubGroup group = new HubGroup(new ArrayList<>(hubs), started);
        group.join();
        return group;
    }

    /** Makes this group's hubs judge LoopExit together (see the class comment). */
    private void join() {
        synchronized (HubGroup.class) {
            for (Hub h : hubs) {
                if (h.group != null) {
                    for (HubThread t : started) t.end();
                    throw new IllegalStateException(h + " already belongs to a hub group: a hub belongs to at most one");
                }
            }
            for (Hub h : hubs) h.group = this;
        }
    }

    // ---------------------------------------------------------------- the hubs

    /** How many hubs. */
    public int size() {
        return hubs.size();
    }

    /** The hub at {@code index} (0 is the caller's own with {@link #includingCurrent}). */
    public Hub hub(int index) {
        return hubs.get(index);
    }

    /** Every hub, in index order. */
    public List<Hub> hubs() {
        return hubs;
    }

    /** The hubs in turn, round-robin (any thread): where the next piece of work goes. */
    public Hub next() {
        return hubs.get(Math.floorMod(turn.getAndIncrement(), hubs.size()));
    }

    /** True when {@code hub} is one of this group's. */
    public boolean contains(Hub hub) {
        return hub != null && hub.group == this;
    }

    /** The group of the calling thread's hub, or null (no hub, or a hub on its own). */
    public static HubGroup ofCurrentHub() {
        Hub h = HubRegistry.ofCurrentThreadOrNull();
        return h == null ? null : h.group;
    }

    // ---------------------------------------------------------------- judging LoopExit together

    /**
     * Called by {@code hub}'s loop when nothing on it can end a wait. When every hub of the group
     * is in that state too, returns the waits of every hub (LoopExit is then due everywhere, and
     * the other stuck hubs are told, with the same text); else null: another hub may still wake
     * this one, and its loop sleeps until its inbox fills. The text is made here, while every hub
     * stands still.
     */
    synchronized String allIdle(Hub hub) {
        hub.loop.idleInGroup = true;
        if (closed) return null;
        boolean anyStuck = false;
        for (Hub h : hubs) {
            if (!h.loop.idleInGroup || !h.queue.nothingInFlight()) return null;
            anyStuck |= h.loop.hasWaitsOfItsOwn();
        }
        if (!anyStuck) return null; // every hub merely waits for work: an idle group, not a stuck one
        StringBuilder waits = new StringBuilder();
        for (Hub h : hubs) {
            if (!h.loop.hasWaitsOfItsOwn()) continue;
            if (!waits.isEmpty()) waits.append("; ");
            waits.append("on ").append(h.thread.getName()).append(": ").append(h.loop.waitsText());
        }
        String text = waits.toString();
        for (Hub h : hubs) {
            if (h != hub && h.loop.hasWaitsOfItsOwn()) {
                h.loop.groupExit = text;
                h.queue.forceWakeUp();
            }
        }
        return text;
    }

    /** Called by {@code hub}'s loop when it runs again after {@link #allIdle} said null. */
    synchronized void busyAgain(Hub hub) {
        hub.loop.idleInGroup = false;
    }

    // ---------------------------------------------------------------- ending

    /**
     * Ends the hub threads this group started: each one's greenlets are killed (their finally
     * blocks run, up to a second's grace) and its thread ends; waits for them. The caller's own
     * hub (with {@link #includingCurrent}) is left running, on its own again. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            for (HubThread t : started) t.end();
            for (HubThread t : started) t.join();
        } finally {
            synchronized (HubGroup.class) {
                for (Hub h : hubs) {
                    if (h.group == this) h.group = null;
                    h.loop.idleInGroup = false;
                }
            }
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Hub h : hubs) names.add(h.thread.getName());
        return "HubGroup" + names + (closed ? " closed" : "");
    }

    /**
     * One hub on a daemon OS thread of its own: the thread's own code waits until {@link #end()}
     * (driving the loop meanwhile, so the hub serves whatever is posted or spawned there), then
     * kills the greenlets left, as {@link Coop#run} does when its body returns.
     */
    private static final class HubThread {
        private final Thread thread;
        private final CountDownLatch ready = new CountDownLatch(1), ended = new CountDownLatch(1);
        private volatile Hub hub;
        private volatile Waiter<Void> endWaiter;
        private volatile boolean ending;
        /** Run once the thread is done (wakes a closer waiting on a hub); guarded by this. */
        private Runnable onEnd;
        private boolean done;

        HubThread(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            Hub h = null;
            try {
                h = Hub.current();
                h.loop.waitsOnlyForWork = true;
                Waiter<Void> w = new Waiter<>("the end of its hub group");
                endWaiter = w;
                hub = h;
                ready.countDown();
                if (!ending) w.await();
            } catch (LoopExit e) {
                Hub.log().log(System.Logger.Level.WARNING, thread.getName() + ": " + e.getMessage());
            } catch (Throwable t) {
                Hub.log().log(System.Logger.Level.ERROR, thread.getName() + " ended with a failure", t);
            } finally {
                ready.countDown();
                if (h != null) {
                    Coop.killLeftovers(h);
                    h.retire();
                }
                Runnable r;
                synchronized (this) {
                    done = true;
                    r = onEnd;
                }
                ended.countDown();
                if (r != null) r.run();
            }
        }

        Hub awaitHub() {
            awaitUninterruptibly(ready);
            Hub h = hub;
            if (h == null) throw new IllegalStateException(thread.getName() + " could not start its hub");
            return h;
        }

        /** Asks the hub's body to return (from any thread): Coop.run then kills what is left. */
        void end() {
            ending = true;
            Waiter<Void> w = endWaiter;
            if (w == null) return;
            try {
                w.wake(null);
            } catch (IllegalStateException alreadyEnded) {
                // the thread ended on its own (a LoopExit): nothing left to end
            }
        }

        /** Waits until the thread is done: on a hub thread a coop wait (the caller's hub keeps running), elsewhere a plain one. */
        void join() {
            if (Thread.currentThread() == thread) return;
            if (HubRegistry.ofCurrentThreadOrNull() == null) {
                awaitUninterruptibly(ended);
                return;
            }
            Waiter.awaitNews("the end of " + thread.getName(), null, news -> {
                synchronized (this) {
                    if (done) return false;
                    onEnd = news;
                    return true;
                }
            });
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
