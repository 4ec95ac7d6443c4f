package io.coop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * The two JDK internals coop stands on: creating a virtual thread whose scheduler is a hub, and
 * asking which OS thread carries the caller. Both live in {@code java.lang} and need it opened to
 * coop ({@code --add-opens java.base/java.lang=ALL-UNNAMED}, or the agent, which opens it itself).
 */
final class Substrate {
    private static final MethodHandle NEW_VIRTUAL_THREAD;
    private static final MethodHandle CURRENT_CARRIER;
    private static final Throwable FAILURE;

    static {
        MethodHandle nvt = null, carrier = null;
        Throwable failure = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            Class<?> builders = Class.forName("java.lang.ThreadBuilders");
            nvt = lookup.findStatic(builders, "newVirtualThread",
                    MethodType.methodType(Thread.class, Executor.class, String.class, int.class, Runnable.class));
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (Throwable t) {
            failure = t;
        }
        NEW_VIRTUAL_THREAD = nvt;
        CURRENT_CARRIER = carrier;
        FAILURE = failure;
    }

    private Substrate() {
    }

    static void check() {
        if (FAILURE != null) {
            throw new IllegalStateException("coop needs access to java.lang internals to run greenlets on its hub: "
                    + "start the JVM with --add-opens java.base/java.lang=ALL-UNNAMED or with -javaagent:coop.jar ("
                    + FAILURE + ")", FAILURE);
        }
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("coop needs JDK 21 or newer, this is " + Runtime.version());
        }
    }

    /** An unstarted virtual thread scheduled by {@code scheduler}. */
    static Thread newVirtualThread(Executor scheduler, String name, Runnable task) {
        try {
            return (Thread) NEW_VIRTUAL_THREAD.invokeExact(scheduler, name, 0, task);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }

    /** The platform thread carrying the caller (the caller itself when it is not virtual). */
    static Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }
}
