package io.coop.agent;

import java.util.List;

import io.coop.AgentSupport;

/**
 * Not an area of its own but part of every one: a greenlet whose virtual thread cannot unmount
 * (inside a class initializer, under a native frame) would otherwise park the hub's own OS
 * thread waiting for a wake-up that only the hub could deliver, and the whole program would
 * stop. When the JDK finds such a park, this hook lets the hub serve a coop wait in place (its
 * descriptors, timers and callbacks, run on the pinned greenlet's stack) or fail it at once
 * with {@code LoopExit} when only another greenlet could end it; see {@code io.coop.PinnedWait}.
 * Other pinned parks (a {@code java.util.concurrent} wait of the application) keep the JDK's
 * behaviour: the OS thread parks until another thread unparks it.
 *
 * <p>JDK target: {@code java.lang.VirtualThread.parkOnCarrierThread(boolean, long)}, reached
 * only when a park could not yield, so unpinned waits pay nothing.
 *
 * <pre>{@code
 * static { Thread.sleep(300); }      // in a greenlet: sleeps 300 ms holding the hub, then goes on
 * }</pre>
 */
public final class PinnedWaits implements Patch {
    /** Installed with any area: not listed among the areas a user chooses. */
    static final String CORE = "pinned";

    @Override
    public String area() {
        return CORE;
    }

    @Override
    public List<Target> targets(int jdk) {
        return List.of(new Target("java.lang.VirtualThread", "parkOnCarrierThread", "(ZJ)V", "parkPinned"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        Class.forName("java.lang.VirtualThread", false, null).getDeclaredField("parkPermit");
    }

    /** VirtualThread.parkOnCarrierThread: TRUE when the hub served the wait in place, null for the JDK's carrier park. */
    static Object parkPinned(Thread vthread, boolean timed, long nanos) {
        return AgentSupport.servePinnedWait() ? Boolean.TRUE : null;
    }
}
