package io.coop;

import java.util.ArrayList;

/**
 * Monitor wake-ups of a seeded run, waited for before the hub decides anything. When a greenlet
 * leaves a monitor another greenlet is blocked on, the JVM marks the blocked one at once
 * ({@code VirtualThread.onWaitingList}), but a JDK thread ("VirtualThread-unblocker") schedules
 * it later, through the hub's inbox: which pass it lands in would depend on timing. The hub
 * notes each greenlet that gave up its carrier on a monitor, looks at them after every task
 * (while the mark is still there to see), and before it takes its inbox waits until every one
 * seen handed off has arrived. Hub thread only.
 *
 * <p>One narrow window stays: the unblocker clears the mark a few instructions before it
 * schedules the thread, and a hand-off first looked at inside that window is missed.
 */
final class MonitorHandoffs {
    /** How long the hub waits for the unblocker before it says so and goes on. */
    private static final long PATIENCE_NANOS = 2_000_000_000L;

    private final ArrayList<Greenlet<?>> waiting = new ArrayList<>();
    /** Those of {@link #waiting} seen handed off: in flight until they arrive, whatever their state says meanwhile. */
    private final ArrayList<Greenlet<?>> handedOff = new ArrayList<>();

    /** {@code g} just gave up its carrier: note it if it waits on a monitor; then look at all of them. */
    void yielded(Greenlet<?> g) {
        if (g.thread != null && !waiting.contains(g) && Substrate.monitorWait(g.thread) != Substrate.MonitorWait.NONE) waiting.add(g);
        look();
    }

    /** {@code g}'s continuation has reached the hub's ready queue. */
    void arrived(Greenlet<?> g) {
        if (waiting.remove(g)) handedOff.remove(g);
    }

    /** Moves the noted greenlets now handed off to {@link #handedOff}; drops those no longer on a monitor. */
    private void look() {
        for (int i = waiting.size() - 1; i >= 0; i--) {
            Greenlet<?> g = waiting.get(i);
            switch (Substrate.monitorWait(g.thread)) {
                case NONE -> {
                    if (!handedOff.contains(g)) waiting.remove(i);
                }
                case HANDED_OFF -> {
                    if (!handedOff.contains(g)) handedOff.add(g);
                }
                case WAITING -> { }
            }
        }
    }

    /** Waits (yielding the OS thread) until every hand-off seen has arrived, taking the inbox with {@code takeInbox}. */
    void settle(Runnable takeInbox) {
        if (waiting.isEmpty()) return;
        look();
        long start = 0;
        while (!handedOff.isEmpty()) {
            if (start == 0) start = System.nanoTime();
            else if (System.nanoTime() - start > PATIENCE_NANOS) {
                Hub.log().log(System.Logger.Level.WARNING, "coop: a monitor hand-off has not reached the hub within 2 s; "
                        + "this seeded run goes on without it and may not replay exactly");
                handedOff.clear();
                return;
            }
            Thread.yield();
            takeInbox.run();
        }
    }
}
