package io.coop;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What a hub runs next, and the one part of a hub that other threads touch: the ready queue
 * (hub thread only), the inbox through which other threads hand in wake-ups and callbacks, the
 * count of work in flight elsewhere ({@link Hub#keepAlive}), and the wake-up of a hub asleep.
 */
final class RunQueue {
    private final Hub hub;
    private final Thread thread;
    /** Greenlet continuations and hub callbacks that can run now, first in first out. Hub thread only. */
    final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    /**
     * Continuations of greenlets preempted for holding the hub ({@code coop.preempt}). The loop
     * runs one of them after a pass's ready tasks when nothing else was ready, or once the others
     * have had as long as the last preempted one took: spinning greenlets get at most half the
     * hub while others have work, and N of them cost a greenlet woken by I/O or a timer one
     * preemption interval at most, not N. Hub thread only.
     */
    final ArrayDeque<Runnable> preempted = new ArrayDeque<>();
    /** When ({@code System.nanoTime}) a preempted greenlet may run again though other tasks are ready. Hub thread only. */
    long preemptedTurnAt;
    /** The greenlet now yielding because it was preempted: its continuation goes to {@link #preempted}. Hub thread only. */
    private Greenlet<?> yieldingPreempted;
    /** Tasks handed in by other threads, in the order they came; moved to {@link #ready} before and after each pass. */
    final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Keep-alives open: work on other threads that will post a wake-up. */
    final AtomicInteger keepAlive = new AtomicInteger();
    /** True while the loop waits for work (read by the blocking monitor: the hub is idle, not blocked). */
    volatile boolean sleeping;
    /** Monitor wake-ups on their way from the JVM's unblocker thread; only in a seeded run. */
    MonitorHandoffs handoffs;

    /** A task the hub runs itself, not a greenlet's continuation ({@link Hub#post}). */
    record Callback(Runnable action) implements Runnable {
        @Override
        public void run() {
            action.run();
        }
    }

    RunQueue(Hub hub) {
        this.hub = hub;
        this.thread = hub.thread;
    }

    /** The scheduler entry point (see {@code Greenlet.Scheduler}): on the hub thread it queues, from elsewhere it goes through the inbox. */
    void add(Runnable task) {
        if (Substrate.currentCarrierThread() == thread) {
            ready.addLast(task);
        } else {
            addFromElsewhere(task);
        }
    }

    /**
     * The scheduler entry point for greenlet {@code g}'s continuation: a preempted greenlet's
     * yield comes back to {@link #preempted}, everything else to {@link #add}.
     */
    void addContinuation(Greenlet<?> g, Runnable continuation) {
        if (g == yieldingPreempted) { // on the hub thread: set and cleared around the yield there
            yieldingPreempted = null;
            preempted.addLast(continuation);
        } else {
            add(continuation);
        }
    }

    /** Greenlet {@code g}, running on this hub, yields because it was preempted (see {@link #preempted}). */
    void yieldPreempted(Greenlet<?> g) {
        yieldingPreempted = g;
        try {
            Thread.yield(); // the continuation comes back through addContinuation, on this hub's thread
        } finally {
            yieldingPreempted = null;
        }
    }

    /** True when a task can run now: a ready one or a preempted greenlet's. Hub thread only. */
    boolean anyRunnable() {
        return !ready.isEmpty() || !preempted.isEmpty();
    }

    /** Queues greenlet {@code g}'s task on the hub thread: a monitor hand-off seen for {@code g} has arrived. */
    void addHere(Greenlet<?> g, Runnable task) {
        if (handoffs != null) handoffs.arrived(g);
        ready.addLast(task);
    }

    /** Hands {@code task} in from a thread other than the hub's, and wakes the hub. */
    void addFromElsewhere(Runnable task) {
        inbox.add(task);
        wakeUp();
    }

    /** Wakes the loop if it sleeps, from any thread. */
    void wakeUp() {
        if (sleeping) forceWakeUp();
    }

    /** Ends the loop's sleep now or, should it be about to sleep, its next one. */
    void forceWakeUp() {
        LockSupport.unpark(thread);
        IoDriver d = hub.io; // read after sleeping: the driver the loop sleeps in
        if (d != null) d.wakeup();
    }

    /** Moves the inbox to the ready queue; in a seeded run first waits for the monitor hand-offs seen. */
    void transferInbox() {
        if (handoffs != null) handoffs.settle(this::takeInbox);
        takeInbox();
    }

    private void takeInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            if (handoffs != null && r instanceof Sequencer.Task t) handoffs.arrived(t.greenlet);
            ready.addLast(r);
        }
    }

    /**
     * True when no work is in flight on another thread that could still wake a greenlet of this
     * hub. Inbox last: a thread posts its wake-up before it closes its keep-alive, so once the
     * keep-alives read 0 its wake-up is visible in the inbox.
     */
    boolean nothingInFlight() {
        return keepAlive.get() == 0 && inbox.isEmpty();
    }
}
