package io.coop;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which hub is whose: one hub per OS thread, made on that thread's first use of coop
 * ({@link Hub#current()}); found from a greenlet (the hub that runs it), from the OS thread
 * itself, or from a virtual thread by its carrier; and the hubs whose threads still run
 * ({@link Hub#all()}), which the blocking monitor watches.
 */
final class HubRegistry {
    private static final ThreadLocal<Hub> THREAD_HUB = new ThreadLocal<>();
    private static final ConcurrentHashMap<Thread, Hub> BY_CARRIER = new ConcurrentHashMap<>();

    private HubRegistry() {
    }

    /** See {@link Hub#current()}. */
    static Hub current() {
        Greenlet<?> g = Greenlet.running();
        if (g != null) return g.hub;
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Hub h = BY_CARRIER.get(Substrate.currentCarrierThread());
            if (h != null) return h;
            throw new IllegalStateException("coop is used from a virtual thread that is not a greenlet ("
                    + t + "): spawn greenlets with Coop.spawn, or start the JVM with -javaagent:coop.jar");
        }
        Hub h = THREAD_HUB.get();
        if (h == null) {
            Substrate.check();
            h = new Hub(t);
            THREAD_HUB.set(h);
            BY_CARRIER.put(t, h);
            // the agent starts the monitor itself (on by default there); the runtime alone on request
            if (Config.flag("monitor", false)) BlockingMonitor.start(true, null, null);
        }
        return h;
    }

    /** The hub of this OS thread if it has one, without making one. */
    static Hub ofCurrentThreadOrNull() {
        Greenlet<?> g = Greenlet.running();
        return g != null ? g.hub : THREAD_HUB.get();
    }

    /** {@code hub}'s thread has ended: {@link #all()} no longer lists it. */
    static void forget(Hub hub) {
        BY_CARRIER.remove(hub.thread, hub);
    }

    /** See {@link Hub#all()}. */
    static List<Hub> all() {
        return List.copyOf(BY_CARRIER.values());
    }
}
