package io.coop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * The JDK internals coop stands on: creating a virtual thread whose scheduler is a hub, reading
 * a virtual thread's scheduler back (how a greenlet finds itself), and asking which OS thread
 * carries the caller. They live in {@code java.lang} and need it opened to coop
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED}, or the agent, which opens it itself).
 */
final class Substrate {
    private static final MethodHandle NEW_VIRTUAL_THREAD;
    private static final MethodHandle CURRENT_CARRIER;
    /** {@code java.lang.VirtualThread}, or null when coop can't reach the internals. */
    private static final Class<?> VIRTUAL_THREAD;
    /** Its {@code private final Executor scheduler}, as {@code (Thread) -> Executor}. */
    private static final MethodHandle SCHEDULER;
    private static final Throwable FAILURE;

    static {
        // Before the first greenlet exists: the JDK makes its socket pollers when a thread first
        // blocks on a socket, and in its VTHREAD_POLLERS mode (Linux's default) they are virtual
        // threads of that thread's scheduler. Made by a greenlet, they would run on its hub and
        // stop with it, and every later socket wait of every virtual thread in the JVM would hang.
        // Platform poller threads, as the agent chooses too, unless the application chose a mode.
        if (System.getProperty("jdk.pollerMode") == null) System.setProperty("jdk.pollerMode", "1");
        MethodHandle nvt = null, carrier = null, scheduler = null;
        Class<?> vt = null;
        Throwable failure = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            Class<?> builders = Class.forName("java.lang.ThreadBuilders");
            nvt = lookup.findStatic(builders, "newVirtualThread",
                    MethodType.methodType(Thread.class, Executor.class, String.class, int.class, Runnable.class));
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            vt = Class.forName("java.lang.VirtualThread");
            scheduler = MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                    .findGetter(vt, "scheduler", Executor.class)
                    .asType(MethodType.methodType(Executor.class, Thread.class));
        } catch (Throwable t) {
            failure = t;
            nvt = carrier = scheduler = null;
            vt = null;
        }
        NEW_VIRTUAL_THREAD = nvt;
        CURRENT_CARRIER = carrier;
        VIRTUAL_THREAD = vt;
        SCHEDULER = scheduler;
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

    /**
     * The scheduler of virtual thread {@code vthread}; null if it has none of its own (the JDK's
     * thread-per-task kind, when continuations are off) or coop can't reach the internals (then
     * no greenlet exists either).
     */
    static Executor schedulerOf(Thread vthread) {
        if (vthread.getClass() != VIRTUAL_THREAD) return null;
        try {
            return (Executor) SCHEDULER.invokeExact(vthread);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }

    /** {@code VirtualThread.parkPermit}, looked up on first use (only pinned waits need it). */
    private static final class Permit {
        static final java.lang.invoke.VarHandle PARK_PERMIT;

        static {
            try {
                PARK_PERMIT = MethodHandles.privateLookupIn(VIRTUAL_THREAD, MethodHandles.lookup())
                        .findVarHandle(VIRTUAL_THREAD, "parkPermit", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** {@code Continuation.isPinned(VirtualThread.VTHREAD_SCOPE)}, looked up on first use (few waits need to ask). */
    private static final class Pinning {
        static final MethodHandle IS_PINNED;

        static {
            try {
                Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
                Class<?> scopeType = Class.forName("jdk.internal.vm.ContinuationScope");
                Object scope = MethodHandles.privateLookupIn(VIRTUAL_THREAD, MethodHandles.lookup())
                        .findStaticGetter(VIRTUAL_THREAD, "VTHREAD_SCOPE", scopeType).invoke();
                MethodHandle isPinned = MethodHandles.privateLookupIn(continuation, MethodHandles.lookup())
                        .findStatic(continuation, "isPinned", MethodType.methodType(boolean.class, scopeType));
                IS_PINNED = MethodHandles.insertArguments(isPinned, 0, scope);
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
    }

    /**
     * True when the calling virtual thread cannot unmount now: a class initializer or a native
     * frame on its stack, a critical section (the JDK's own answer, which walks the stack).
     */
    static boolean cannotUnmount() {
        try {
            return (boolean) Pinning.IS_PINNED.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot ask the JDK whether this thread is pinned", t);
        }
    }

    /**
     * A virtual thread's monitor state as the JDK keeps it ({@code VirtualThread.state},
     * {@code onWaitingList}, {@code blockPermit}), looked up on first use: only seeded runs ask.
     * The state numbers are JDK 21-25's (BLOCKED 13, UNBLOCKED 14, WAIT 16, TIMED_WAIT 18).
     */
    private static final class MonitorState {
        static final java.lang.invoke.VarHandle STATE, ON_WAITING_LIST, BLOCK_PERMIT;
        static final int BLOCKED = 13, UNBLOCKED = 14, WAIT = 16, TIMED_WAIT = 18, SUSPENDED = 1 << 8;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(VIRTUAL_THREAD, MethodHandles.lookup());
                STATE = l.findVarHandle(VIRTUAL_THREAD, "state", int.class);
                ON_WAITING_LIST = l.findVarHandle(VIRTUAL_THREAD, "onWaitingList", boolean.class);
                BLOCK_PERMIT = l.findVarHandle(VIRTUAL_THREAD, "blockPermit", boolean.class);
                int blocked = (int) l.findStaticVarHandle(VIRTUAL_THREAD, "BLOCKED", int.class).get();
                if (blocked != BLOCKED) throw new IllegalStateException("VirtualThread.BLOCKED is " + blocked + " in this JDK");
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** What a greenlet that just gave up its carrier waits for, as far as monitors go. */
    enum MonitorWait {
        /** Not a monitor: a park, a sleep, a yield, or it ended. */
        NONE,
        /** Blocked entering a monitor, or in Object.wait, and nothing has let it go yet. */
        WAITING,
        /** Let go (the monitor's owner left it): the JVM's unblocker thread is on its way to schedule it. */
        HANDED_OFF
    }

    /** See {@link MonitorWait}: read from the JDK's own fields, which the JVM sets as it hands a monitor over. */
    static MonitorWait monitorWait(Thread vthread) {
        int state = (int) MonitorState.STATE.getVolatile(vthread) & ~MonitorState.SUSPENDED;
        return switch (state) {
            case MonitorState.UNBLOCKED -> MonitorWait.HANDED_OFF;
            case MonitorState.BLOCKED -> (boolean) MonitorState.ON_WAITING_LIST.getVolatile(vthread)
                    || (boolean) MonitorState.BLOCK_PERMIT.getVolatile(vthread) ? MonitorWait.HANDED_OFF : MonitorWait.WAITING;
            case MonitorState.WAIT, MonitorState.TIMED_WAIT -> MonitorWait.WAITING;
            default -> MonitorWait.NONE;
        };
    }

    /** Takes the park permit of virtual thread {@code vthread}, as the JDK's park does on its way out. */
    static void consumeParkPermit(Thread vthread) {
        Permit.PARK_PERMIT.setVolatile(vthread, false);
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
