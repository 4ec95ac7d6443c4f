package io.coop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * A hub's loop, driven by its main greenlet whenever that waits ({@link #runOnce}): passes that
 * take the inbox, fire the due timers and run the tasks that were ready when the pass began, then
 * a look at I/O; a sleep when nothing is ready, or {@link LoopExit} when nothing ever can be. Also
 * the reduced pass that a {@link PinnedWait} runs in place. Counts passes, switches and
 * callbacks. Hub thread only, except {@link #switchCount()}.
 */
final class HubLoop {
    private static final VarHandle SWITCHES;

    static {
        try {
            SWITCHES = MethodHandles.lookup().findVarHandle(HubLoop.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Hub hub;
    private final RunQueue queue;
    private final HubTimers timers;
    /**
     * What is running on the hub now, for a {@link Sequencer} trace: why a greenlet made ready now
     * became ready (a greenlet, {@link #TIMER}, {@link #IO}, a hub callback).
     */
    Object cause;
    private static final String TIMER = "timer", IO = "descriptor ready";
    /** True while a hub callback runs: a callback must not block. */
    boolean inCallback;
    /** Set by {@link HubGroup#allIdle} while this hub's loop has nothing that could end a wait. */
    volatile boolean idleInGroup;
    /** Set by the hub of the group that found every hub stuck: the waits of all, to raise LoopExit with here too. */
    volatile String groupExit;
    /** True for a hub thread whose own code only waits for work to be posted (a {@link HubGroup}'s thread). */
    boolean waitsOnlyForWork;
    private long switches; // written with setOpaque: read by the blocking monitor
    long loops;
    long callbacks;

    HubLoop(Hub hub) {
        this.hub = hub;
        this.queue = hub.queue;
        this.timers = hub.timers;
    }

    /** Tasks run so far (greenlet switches and callbacks); read from any thread. */
    long switchCount() {
        return (long) SWITCHES.getOpaque(this);
    }

    /**
     * One pass of the loop, run by the main greenlet while it waits: inbox, due timers, ready
     * tasks, then I/O readiness, blocking only when nothing is ready and {@code waiting}'s
     * wait is not over.
     */
    void runOnce(MainGreenlet waiting) {
        if (idleInGroup) hub.group.busyAgain(hub);
        for (;;) {
            loops++;
            runPass(false);
            queue.transferInbox();
            boolean more = queue.anyRunnable();
            if (more || waiting.waitIsOver()) {
                if (hub.ioWaiters() > 0) pollIoNow();
                // more is ready and the main greenlet still waits: next pass at once, without the
                // trip back through Greenlet.block (Thread.interrupted, checks)
                if (more && !waiting.waitIsOver()) continue;
                return;
            }
            break;
        }
        long timeout = timers.untilNext();
        if (timers.clock().isVirtual() && timeout != 0) {
            if (hub.ioWaiters() > 0) {
                pollIoNow(); // a peer in this JVM may have written already: its data is what happens next
                if (queue.anyRunnable()) return;
            }
            if (timeout > 0 && queue.nothingInFlight()) {
                // idle, and nothing in this JVM is on its way: the next timer is what happens next
                timers.jumpToNext();
                return;
            }
        }
        // an I/O waiter can still be woken; so can a coop waiter by work in flight elsewhere
        // (nothingInFlight reads the inbox last: see there)
        if (timeout < 0 && hub.ioWaiters() == 0 && hub.live.allInCoopWaits() && queue.nothingInFlight()) {
            HubGroup g = hub.group; // in a group, only when no hub of it can wake another
            String waits = g == null ? waitsText() : groupExit != null ? groupExit : g.allIdle(hub);
            if (waits != null && hasWaitsOfItsOwn()) {
                groupExit = null;
                raiseLoopExit(waits);
                return;
            }
        }
        groupExit = null;
        sleep(timeout);
    }

    /**
     * Looks at I/O without waiting. In a seeded run it looks again until a look finds nothing
     * new: loopback data and connects between this JVM's own sockets are delivered by the
     * kernel's network softirq, which a busy machine defers to a kernel thread, and what a pass
     * holds must not depend on how far it got.
     */
    private void pollIoNow() {
        Object was = cause;
        cause = IO;
        try {
            hub.io.poll(0);
            if (!hub.isSeeded()) return;
            for (int round = 0; round < SETTLE_ROUNDS; round++) {
                int before = queue.ready.size();
                Thread.yield();
                hub.io.poll(0);
                if (queue.ready.size() == before) return;
            }
        } finally {
            cause = was;
        }
    }

    private static final int SETTLE_ROUNDS = 8;

    private void runDueTimers() {
        if (timers.size() == 0) return;
        long now = timers.loopTime();
        TimerHeap.Timer t;
        cause = TIMER;
        while ((t = timers.pollDue(now)) != null) runCallback(t.action);
        cause = null;
        timers.endBatch();
    }

    private void runTask(Runnable task) {
        SWITCHES.setOpaque(this, switches + 1);
        Sequencer sequencer = hub.sequencer;
        if (sequencer != null) {
            sequencer.running(task);
            cause = task instanceof Sequencer.Task t ? t.greenlet : task;
        }
        if (task instanceof RunQueue.Callback cb) {
            runCallback(cb.action());
        } else {
            task.run(); // a greenlet's continuation: it handles its own failures
            MonitorHandoffs handoffs = queue.handoffs;
            if (handoffs != null && task instanceof Sequencer.Task t) handoffs.yielded(t.greenlet);
        }
        cause = null;
    }

    private void runCallback(Runnable action) {
        callbacks++;
        inCallback = true;
        try {
            action.run();
        } catch (Throwable t) {
            hub.report("a hub callback (" + action + ") failed", t);
        } finally {
            inCallback = false;
        }
    }

    /** Waits for a timer, I/O or the inbox; {@code timeoutNanos < 0} means no timer is pending. */
    private void sleep(long timeoutNanos) {
        queue.sleeping = true;
        timers.beforeSleep();
        Sequencer sequencer = hub.sequencer;
        if (sequencer != null) sequencer.flush();
        Object was = cause;
        cause = IO;
        try {
            if (!queue.inbox.isEmpty()) return;
            IoDriver d = hub.io;
            if (d != null) {
                d.poll(timeoutNanos);
            } else if (timeoutNanos < 0) {
                LockSupport.park(hub);
            } else if (timeoutNanos > 0) {
                LockSupport.parkNanos(hub, timeoutNanos);
            }
        } finally {
            cause = was;
            queue.sleeping = false;
            timers.afterSleep();
        }
    }

    /**
     * True when a wait on this hub, once nothing can wake it, is a program stuck rather than a
     * hub waiting for work: any live greenlet, or a hub thread whose own code waits for something.
     */
    boolean hasWaitsOfItsOwn() {
        return hub.live.count() > 0 || !waitsOnlyForWork;
    }

    /** What this hub's greenlets wait for, for a LoopExit: "main waits for X; worker waits for Y" (hub thread, or while it is stuck). */
    String waitsText() {
        StringBuilder msg = new StringBuilder();
        String sep = "";
        MainGreenlet main = hub.main;
        if (hub.root == main) { // under Coop.run the hub thread only waits for the run's body: not worth naming
            msg.append(main.name()).append(" waits for ").append(main.waitDescription());
            sep = "; ";
        }
        for (Greenlet<?> g : hub.live.list()) {
            msg.append(sep).append(g.name()).append(" waits for ").append(g.waitDescription());
            sep = "; ";
        }
        return msg.toString();
    }

    private void raiseLoopExit(String waits) {
        LoopExit exit = new LoopExit("nothing can wake the waiting greenlets (no ready greenlet, "
                + "timer, socket or other thread can end these waits): " + waits);
        Greenlet<?> target = hub.root;
        if (target == hub.main || target.isDead() || !target.isWaiting()) throw exit;
        target.throwIn(exit);
    }

    // ---------------------------------------------------------------- pinned waits

    /**
     * For {@link PinnedWait}: the inbox, due timers and the hub callbacks that are ready, run on a
     * pinned greenlet's stack; greenlet continuations stay queued, in order, ahead of what they queue.
     */
    void runCallbacksPass() {
        runPass(true);
    }

    /**
     * One pass: what the inbox holds joins the ready tasks, the due timers fire, then the tasks
     * that were ready when the pass began run (in the sequencer's order in a seeded run), and
     * then perhaps the first preempted greenlet; or, with {@code callbacksOnly}, only the hub
     * callbacks among the ready tasks.
     */
    private void runPass(boolean callbacksOnly) {
        queue.transferInbox();
        timers.beginPass();
        try {
            runDueTimers();
            ArrayDeque<Runnable> ready = queue.ready;
            int n = ready.size();
            if (callbacksOnly) {
                runCallbacksOf(ready, n);
            } else {
                Sequencer sequencer = hub.sequencer;
                if (sequencer != null) sequencer.orderPass(ready, n);
                for (int i = 0; i < n; i++) runTask(ready.pollFirst());
                if (!queue.preempted.isEmpty()) runPreempted(n == 0);
            }
        } finally {
            timers.endPass();
        }
    }

    /** Runs the first preempted greenlet if nothing else was ready or its turn has come (see {@link RunQueue#preempted}). */
    private void runPreempted(boolean nothingElseReady) {
        long now = System.nanoTime();
        if (!nothingElseReady && now - queue.preemptedTurnAt < 0) return;
        runTask(queue.preempted.pollFirst());
        long end = System.nanoTime();
        queue.preemptedTurnAt = end + (end - now);
    }

    /** Runs the hub callbacks among the first {@code n} ready tasks; the rest stay at the front, in order. */
    private void runCallbacksOf(ArrayDeque<Runnable> ready, int n) {
        ArrayDeque<Runnable> kept = null;
        for (int i = 0; i < n; i++) {
            Runnable task = ready.pollFirst();
            if (task instanceof RunQueue.Callback cb) {
                SWITCHES.setOpaque(this, switches + 1);
                runCallback(cb.action());
            } else {
                if (kept == null) kept = new ArrayDeque<>();
                kept.addLast(task);
            }
        }
        if (kept != null) {
            while (!kept.isEmpty()) ready.addFirst(kept.pollLast());
        }
    }

    /**
     * For {@link PinnedWait}: sleeps until the next timer, I/O or a post. Without an I/O driver it
     * parks the OS thread itself: LockSupport on a pinned thread reaches the JDK's carrier park,
     * since {@link Hub#pinned} is set.
     */
    void sleepUntilNextTimer() {
        sleep(timers.untilNext());
    }
}
