package io.coop;

/**
 * A hub's timers and its clock: the {@link TimerHeap}, read against the hub's {@link HubClock},
 * and the time of the pass the loop is running, which the deadlines set during the pass count
 * from. Hub thread only.
 */
final class HubTimers {
    private final TimerHeap heap = new TimerHeap();
    /** The hub's "now": real, or virtual under a schedule that says so. */
    private HubClock clock;
    /**
     * {@link System#nanoTime()} at the start of the current pass. Greenlets measure their timeouts
     * from it (as libuv and gevent do), so those that sleep the same time in one pass wake together,
     * in the order they went to sleep, however long the pass took.
     */
    private long loopTime;
    /**
     * True until the clock is read in the current pass. System.nanoTime costs 25-70 ns on a VM
     * (55-70 ns measured here for clock_gettime through the vDSO), a sixth of a greenlet switch:
     * read it only when a timer or deadline needs it. All reads in one pass still see one value.
     */
    private boolean loopTimeStale;
    /** True while the loop runs timers and ready tasks (greenlets and callbacks). */
    private boolean inPass;

    /** The clock the timers count on. */
    HubClock clock() {
        return clock;
    }

    /** Counts on {@code clock} from now on (a schedule's clock). */
    void use(HubClock clock) {
        this.clock = clock;
        loopTime = clock.read();
    }

    /**
     * Sets a timer. {@code deadline} comes from {@link Coop#deadline}, which inside a pass counts
     * from the pass start: that keeps the firing order reproducible. The timer still never fires
     * before the deadline counted from now, so no wait ends early however long the pass has run.
     */
    TimerHeap.Timer schedule(long deadline, Runnable action) {
        long notBefore = inPass ? deadline + (clock.read() - loopTime()) : deadline;
        return heap.add(deadline, notBefore, action);
    }

    /** "Now" for deadlines: the start of the current pass while one runs, else the clock. */
    long now() {
        return inPass ? loopTime() : clock.read();
    }

    /** The pass's time: the clock as first read in this pass (the same value for the whole pass). */
    long loopTime() {
        if (loopTimeStale) {
            loopTime = clock.read();
            loopTimeStale = false;
        }
        return loopTime;
    }

    /** A pass begins: its time is read when first needed, and deadlines set from now on count from it. */
    void beginPass() {
        loopTimeStale = true;
        inPass = true;
    }

    /** The pass has run its timers and tasks. */
    void endPass() {
        inPass = false;
    }

    /** The timers pending. */
    int size() {
        return heap.size();
    }

    /** See {@link TimerHeap#pollDue}. */
    TimerHeap.Timer pollDue(long now) {
        return heap.pollDue(now);
    }

    /** See {@link TimerHeap#endBatch}. */
    void endBatch() {
        heap.endBatch();
    }

    /** Nanoseconds until the next timer may fire (0: due), or -1 when no timer is pending. */
    long untilNext() {
        TimerHeap.Timer next = heap.peek();
        return next == null ? -1 : Math.max(0, next.notBefore - clock.read());
    }

    /** True when a timer may fire now. */
    boolean anyDue() {
        return untilNext() == 0;
    }

    /** The hub is idle and nothing is on its way: a virtual clock jumps to the next timer (pending). */
    void jumpToNext() {
        clock.jumpTo(heap.peek().notBefore);
    }

    /** The hub is about to sleep for real. */
    void beforeSleep() {
        clock.sleeping();
    }

    /** The hub woke: the pass's time is read again, and a virtual clock moves by the time it slept. */
    void afterSleep() {
        loopTimeStale = true;
        clock.slept();
    }
}
