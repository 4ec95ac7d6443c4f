package io.coop.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.coop.AgentSupport;
import io.coop.Hub;

/**
 * Who a patch acts for: greenlets, and the OS threads whose own code is a hub's main greenlet
 * ({@code Monkey.patchAll()} callers: their blocking calls drive the hub loop). Every other
 * thread gets the JDK's own behaviour.
 *
 * <pre>{@code
 * if (!Callers.inCoop()) return false;   // not ours: run the JDK method as it is
 * }</pre>
 */
public final class Callers {
    private static final Set<Thread> DRIVERS = ConcurrentHashMap.newKeySet();

    private Callers() {
    }

    /** True for a greenlet, or for a hub thread registered with {@link #addDriver}. */
    public static boolean inCoop() {
        if (AgentSupport.currentGreenlet() != null) return true;
        return isDriver();
    }

    /** True when the caller is an OS thread whose own code drives its hub (a patchAll caller). */
    public static boolean isDriver() {
        if (DRIVERS.isEmpty()) return false;
        Thread t = Thread.currentThread();
        return !t.isVirtual() && DRIVERS.contains(t);
    }

    /** Makes the calling OS thread's own code a coop participant (its hub's main greenlet). */
    public static void addDriver(Thread t) {
        DRIVERS.add(t);
    }

    public static void removeDriver(Thread t) {
        DRIVERS.remove(t);
    }

    public static boolean isDriverThread(Thread t) {
        return DRIVERS.contains(t);
    }

    /**
     * The hub that a registered driver (the agent's main thread, a patchAll caller) still runs,
     * or null: where an application thread started by a thread outside coop goes.
     */
    public static Hub drivenHub() {
        if (DRIVERS.isEmpty()) return null;
        for (Hub hub : Hub.all()) if (DRIVERS.contains(hub.thread())) return hub;
        return null;
    }
}
