package io.coop.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.coop.AgentSupport;
import io.coop.Greenlet;
import io.coop.Hub;

/**
 * gevent's monitor thread: a daemon thread ("coop-monitor") that notices when a hub has not
 * come back to its loop for longer than its {@code maxBlockingTime} ({@code coop.maxBlockingTime},
 * default 100 ms) while it is not idle: some greenlet is computing, or blocking its OS thread
 * in a call coop does not patch. It reports each incident once, with the greenlet that holds
 * the hub and its stack at that moment, on the "io.coop" System.Logger (WARNING) and as the JFR
 * event {@link HubBlockedEvent}. On by default under the agent; {@code coop.monitor=false} turns
 * it off.
 *
 * <pre>{@code
 * WARNING: coop: the hub on thread "main" has been blocked for 212 ms (coop.maxBlockingTime is 100 ms) by greenlet "worker-3":
 *     at java.base/java.lang.Thread.onSpinWait(...)
 *     at com.example.Crunch.run(Crunch.java:42)
 * }</pre>
 */
public final class BlockingMonitor implements Runnable {
    private static volatile Thread thread;
    private static volatile VarHandle carrierHandle;

    /** What the monitor last saw of one hub. */
    private static final class Seen {
        long switches = -1;
        long since;
        boolean reported;
    }

    private final Map<Hub, Seen> seen = new HashMap<>();
    /** False when the monitor runs only to preempt ({@code coop.monitor=false}, {@code coop.preempt} set). */
    private final boolean report;
    private boolean loggerReady;

    /** Loads the logging backend when an incident looks likely, so the report is not late (nothing is loaded at start-up). */
    private void warmUpLogger() {
        loggerReady = true;
        System.getLogger("io.coop").isLoggable(System.Logger.Level.WARNING);
    }

    private BlockingMonitor(boolean report) {
        this.report = report;
    }

    /** Starts the monitor thread once; it reports incidents when {@code report}, and always drives {@link YieldPoints}' preemption. */
    static synchronized void start(boolean report) {
        if (thread != null) return;
        Thread t = new MonitorThread(new BlockingMonitor(report));
        thread = t;
        t.start();
    }

    static boolean isRunning() {
        return thread != null;
    }

    /** The monitor's own OS thread (the thread patch leaves coop's classes alone). */
    private static final class MonitorThread extends Thread {
        MonitorThread(Runnable task) {
            super(null, task, "coop-monitor", 0, false);
            setDaemon(true);
        }
    }

    @Override
    public void run() {
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrierHandle = MethodHandles.privateLookupIn(vt, MethodHandles.lookup()).findVarHandle(vt, "carrierThread", Thread.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            carrierHandle = null; // reports name the hub thread only
        }
        while (true) {
            long period = 50;
            for (Hub hub : AgentSupport.hubs()) {
                period = Math.min(period, Math.max(5, hub.maxBlockingTime().toMillis() / 4));
                Duration preempt = YieldPoints.interval();
                if (preempt != null) period = Math.min(period, Math.max(1, preempt.toMillis() / 4));
                try {
                    check(hub);
                } catch (RuntimeException e) {
                    // a hub changing under our feet: look again next time
                }
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(Hub hub) {
        long now = System.nanoTime();
        long switches = hub.switchCount();
        Seen s = seen.computeIfAbsent(hub, h -> new Seen());
        if (switches != s.switches || AgentSupport.isIdle(hub)) {
            s.switches = switches;
            s.since = now;
            s.reported = false;
            return;
        }
        Duration max = hub.maxBlockingTime();
        long blockedNanos = now - s.since;
        YieldPoints.held(hub, blockedNanos);
        if (!report) return;
        if (!loggerReady && blockedNanos >= max.toNanos() / 2) warmUpLogger();
        if (s.reported || blockedNanos < max.toNanos()) return;
        Greenlet<?> culprit = mounted(hub);
        if (culprit == null && hub.greenlets().isEmpty()) return; // the thread does other work; no greenlet waits for it
        s.reported = true;
        report(hub, culprit, blockedNanos / 1_000_000, max);
    }

    /** The greenlet whose virtual thread is mounted on the hub's OS thread now, or null. */
    static Greenlet<?> mounted(Hub hub) {
        VarHandle h = carrierHandle;
        if (h == null) return null;
        for (Greenlet<?> g : hub.greenlets()) {
            Thread t = g.thread();
            if (t != null && t.isVirtual() && h.getVolatile(t) == hub.thread()) return g;
        }
        return null;
    }

    private static void report(Hub hub, Greenlet<?> culprit, long blockedMs, Duration max) {
        Thread stackOf = culprit != null ? culprit.thread() : hub.thread();
        String who = culprit != null ? "greenlet \"" + culprit.name() + "\"" : "the hub thread's own code (its main greenlet)";
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement e : stackOf.getStackTrace()) stack.append("\n\tat ").append(e);
        System.getLogger("io.coop").log(System.Logger.Level.WARNING, "coop: the hub on thread \"" + hub.thread().getName() + "\" has been blocked for "
                + blockedMs + " ms (coop.maxBlockingTime is " + max.toMillis() + " ms) by " + who + ":" + stack);
        try {
            HubBlockedEvent event = new HubBlockedEvent();
            if (event.isEnabled()) {
                event.hubThread = hub.thread().getName();
                event.greenlet = culprit != null ? culprit.name() : "main greenlet";
                event.blockedMillis = blockedMs;
                event.stack = stack.toString().strip();
                event.commit();
            }
        } catch (LinkageError e) {
            // no jdk.jfr module in this runtime image
        }
    }
}
