package io.coop.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import io.coop.AgentSupport;
import io.coop.Config;
import io.coop.Greenlet;
import io.coop.Hub;

/**
 * Where a greenlet that never waits gives the hub back, at run time. The places are woven into
 * application classes by {@link AppClassRewriter}:
 * <ul>
 * <li>{@code Thread.onSpinWait()} calls (the {@code thread} area redirects them): a greenlet
 *     yields, any other thread spins as before. Patching {@code Thread.onSpinWait} itself would
 *     not do: the JIT compiles it to one PAUSE instruction.</li>
 * <li>under {@code coop.preempt=DURATION} (opt-in), every loop back-edge: one volatile read while
 *     nobody is asked to yield. The blocking monitor asks the greenlet that has held its hub for
 *     DURATION; it yields at its next back-edge, and runs again after the greenlets that wait
 *     for I/O, timers or each other (see {@code RunQueue.preempted}).</li>
 * </ul>
 *
 * <pre>{@code
 * while (!ready) { }                    // under coop.preempt=10ms: yields about every 10 ms
 * while (!ready) Thread.onSpinWait();   // always: yields on every turn
 * }</pre>
 */
final class YieldPoints {
    /** The preemption interval, or null when {@code coop.preempt} is off. */
    private static volatile Duration preempt;
    /** CoopBridge.YIELD_REQUESTED, in the bridge defined into java.base. */
    private static volatile VarHandle yieldRequested;

    private YieldPoints() {
    }

    /** Reads {@code coop.preempt}; returns the interval, or null when preemption is off. Once the bridge is defined. */
    static Duration configure() throws ReflectiveOperationException {
        Duration d = Config.duration("preempt", Duration.ZERO);
        if (d.isNegative()) throw new IllegalArgumentException("coop.preempt must be a positive duration such as 10ms; got " + d);
        if (d.isZero()) return null;
        Class<?> bridge = Class.forName(Bridge.REAL.replace('/', '.'), false, null);
        yieldRequested = MethodHandles.lookup().findStaticVarHandle(bridge, "YIELD_REQUESTED", Thread.class);
        preempt = d;
        return d;
    }

    /**
     * Called by the monitor for a hub that has not switched for {@code heldNanos}: past the
     * interval, asks the greenlet mounted there to yield at its next yield point.
     */
    static void held(Hub hub, long heldNanos) {
        Duration every = preempt;
        if (every == null || heldNanos < every.toNanos()) return;
        Greenlet<?> mounted = AgentSupport.mountedGreenlet(hub);
        Thread t = mounted == null ? null : mounted.thread();
        if (t != null) yieldRequested.setVolatile(t);
    }

    /** CoopBridge.yieldPoint reached by the greenlet asked to yield: it yields unless it cannot unmount. */
    static void preempt() {
        AgentSupport.yieldPreempted();
    }

    /** Application code's Thread.onSpinWait: a greenlet yields (true); any other thread spins (false). */
    static boolean spinWait() {
        if (AgentSupport.currentGreenlet() == null) return false;
        Thread.yield(); // a virtual thread's yield goes back to its scheduler: the hub's ready queue
        return true;
    }
}
