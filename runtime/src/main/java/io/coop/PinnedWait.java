package io.coop;

/**
 * Serves the coop wait of a greenlet that the JDK could not unmount: a class initializer or a
 * native frame on its stack pins its virtual thread to the hub's own OS thread, so no other
 * greenlet can run until this wait ends, and the hub loop, which would end it, cannot run
 * either. The hub's own machinery (inbox, timers, I/O, hub callbacks) is therefore run right
 * here, on the pinned greenlet's stack, as an OS thread would wait for the same thing; the
 * continuations of other greenlets it wakes stay queued, in order, for the loop.
 *
 * <p>A wait that only another greenlet of the hub could end (no descriptor, no deadline, no
 * Timeout, no work in flight on another thread) can never be served: it throws {@link LoopExit}
 * at once, naming the frame that pins and the wait.
 *
 * <pre>{@code
 * // the agent's VirtualThread.parkOnCarrierThread hook, through AgentSupport.servePinnedWait:
 * if (PinnedWait.serve(g)) return;   // served in place; else the JDK parks the OS thread
 * }</pre>
 */
final class PinnedWait {
    private PinnedWait() {
    }

    /**
     * Serves {@code g}'s (the caller's) coop wait; returns when it is over (woken, timed out,
     * thrown into, interrupted). False when this is not such a wait (a JDK wait of {@code g}'s, or
     * a park made while serving one): the JDK then parks the OS thread itself, and another
     * thread's unpark or the hub's wake-up ends it.
     */
    static boolean serve(Greenlet<?> g) {
        Hub hub = g.hub;
        Waiter<?> w = g.waiting;
        if (w == null || hub.pinned != null) return false;
        hub.pinned = g;
        try {
            while (!isOver(g, w)) {
                if (!w.external && g.waitDeadline == Hub.NO_DEADLINE && g.armedTimeouts == 0 && hub.queue.nothingInFlight()) {
                    throw new LoopExit(g.name() + " waits for " + w.describe() + " where it cannot give up the hub's thread ("
                            + pinningFrame() + "), and only another greenlet of this hub could end that wait: move the wait "
                            + "out of the static initializer or native callback, or give it a timeout");
                }
                hub.loop.runCallbacksPass();
                if (isOver(g, w)) break;
                hub.loop.sleepUntilNextTimer();
            }
        } finally {
            hub.pinned = null;
        }
        return true;
    }

    private static boolean isOver(Greenlet<?> g, Waiter<?> w) {
        return w.woken || w.timedOut || g.hasPending() || (w.interruptible && Thread.currentThread().isInterrupted());
    }

    /** The frame that keeps the caller's virtual thread from unmounting, as best the stack shows it. */
    static String pinningFrame() {
        StackTraceElement nativeFrame = null;
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getMethodName().equals("<clinit>")) return "class initializer " + e;
            if (nativeFrame == null && e.isNativeMethod() && !e.getClassName().startsWith("java.lang.Thread")
                    && !e.getClassName().startsWith("jdk.internal.misc.")) {
                nativeFrame = e;
            }
        }
        return nativeFrame != null ? "native frame " + nativeFrame : "a native frame or critical section on its stack";
    }
}
