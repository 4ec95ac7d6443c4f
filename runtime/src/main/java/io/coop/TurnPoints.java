package io.coop;

/**
 * The rule behind {@link Hub#yieldIfHeld()}: when a greenlet that keeps finding work without
 * waiting gives its hub to the others. A normal run counts the time held; a seeded run counts
 * turn points instead, since time would make its turns differ from run to run. A greenlet's hold
 * is kept in its own fields: {@code yieldMark}, its hub's switch count at its last turn point (a
 * different count now means it waited since), and {@code heldSince}.
 */
final class TurnPoints {
    /** How long a greenlet that keeps finding work may hold its hub before a turn point yields: short for a light client's latency, long beside one request's work. */
    static final long TURN_NANOS = 200_000;

    /** Turn points in a row without a wait after which a seeded run's greenlet yields. */
    static final int SEEDED_TURN_POINTS = 16;

    private TurnPoints() {
    }

    /** {@link Hub#yieldIfHeld()} for {@code g}, the running greenlet. */
    static void pass(Greenlet<?> g) {
        Hub hub = g.hub;
        if (hub.pinned == g) return;
        long switches = hub.switchCount();
        if (hub.isSeeded()) {
            byCount(g, switches);
            return;
        }
        long now = System.nanoTime();
        if (switches != g.yieldMark) { // it waited (or started) since its last turn point: a new hold
            g.yieldMark = switches;
            g.heldSince = now;
            return;
        }
        if (now - g.heldSince < TURN_NANOS || !othersMayRun(hub, true)) return;
        Thread.yield(); // a virtual thread's yield goes to its scheduler: this hub's ready queue
        g.yieldMark = hub.switchCount();
        g.heldSince = System.nanoTime();
    }

    /**
     * {@link #pass} in a seeded run: held for a count of turn points, not for a time, and other
     * work judged without the inbox (whose timing is not the run's), so the turns replay. Uses
     * {@code heldSince} as the count.
     */
    private static void byCount(Greenlet<?> g, long switches) {
        if (switches != g.yieldMark) {
            g.yieldMark = switches;
            g.heldSince = 0;
            return;
        }
        if (++g.heldSince < SEEDED_TURN_POINTS || !othersMayRun(g.hub, false)) return;
        Thread.yield();
        g.yieldMark = g.hub.switchCount();
        g.heldSince = 0;
    }

    /**
     * True when something besides the running greenlet could use {@code hub} now: a ready task, a
     * wake-up from another thread (when {@code countInbox}), a socket wait to poll, a due timer.
     * Hub thread only.
     */
    private static boolean othersMayRun(Hub hub, boolean countInbox) {
        RunQueue queue = hub.queue;
        return !queue.ready.isEmpty() || (countInbox && !queue.inbox.isEmpty()) || hub.ioWaiters() > 0 || hub.timers.anyDue();
    }
}
