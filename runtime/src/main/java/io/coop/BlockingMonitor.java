package io.coop;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;


/**
 * gevent's monitor thread: a daemon thread ("coop-monitor") that notices when a hub has not
 * come back to its loop for longer than its {@code maxBlockingTime} ({@code coop.maxBlockingTime},
 * default 100 ms) while it is not idle: some greenlet is computing, or blocking its OS thread
 * in a call coop does not patch. On by default under the agent (and {@code Monkey.patchAll()});
 * with the runtime alone ({@code Coop.run}) {@code coop.monitor=true} starts it with the first
 * hub; {@code coop.monitor=false} turns it off.
 *
 * <p>Such a hold is a blocking problem, reported on the "io.coop" System.Logger at WARNING and
 * as the JFR event {@link HubBlockedEvent}, once it has lasted {@code maxBlockingTime} during
 * which the JVM loaded no class, and the holder is not loading, linking or initializing one (a
 * {@code ClassLoader} load or define, an invokedynamic call site being linked, a
 * {@code <clinit>} on its stack). Holds spent loading classes are start-up work, done once per
 * class: every framework's start-up and first requests are full of them (the cold code around
 * them runs interpreted, which is why they cross the threshold), and no change to the
 * application would remove them. They are counted and logged at DEBUG when they end. A
 * blocking problem is reported when it is found, with the greenlet holding the hub (by its
 * current name) and its stack, and again when it ends, with its whole length. Later ones at the
 * same call site (the method of the stack's first frame outside the JDK and coop) are counted,
 * and summarised in one line at most every {@code coop.monitor.repeatInterval} (default 10 s).
 * A hold that reaches 100 times {@code maxBlockingTime} (10 s by default), start-up work or not,
 * is also written once straight to the process's standard error with the holder's stack: the
 * logged report may have to wait for a greenlet of the held hub to write it out.
 *
 * <pre>{@code
 * WARNING: coop: the hub on thread "main" has been blocked for 212 ms (coop.maxBlockingTime is 100 ms) by greenlet "worker-3":
 *     at com.example.Crunch.run(Crunch.java:42)
 *     ...
 * WARNING: coop: the hub on thread "main" was blocked for 5012 ms in all by greenlet "worker-3" at com.example.Crunch.run
 * WARNING: coop: the hub was blocked 37 more times at com.example.Crunch.run in the last 10 s (longest 230 ms)
 * }</pre>
 */
final class BlockingMonitor implements Runnable {
    private static volatile Thread thread;
    private static volatile VarHandle carrierHandle;

    /** What the monitor last saw of one hub. */
    private static final class Seen {
        long switches = -1;
        /** When the monitor first saw the hub at {@link #switches}: the start of the hold, if it is one. */
        long since;
        /** The JFR event of the current hold (begun again at each switch, so that its duration is the hold's), or null. */
        HubBlockedEvent event;
        /** The hold past maxBlockingTime going on now, or null. */
        Incident incident;
    }

    /** A hold past maxBlockingTime. */
    private static final class Incident {
        Greenlet<?> culprit;
        StackTraceElement[] stack;
        /** Where it blocks, once it is known to be a blocking problem (null: start-up work so far). */
        Site site;
        /** Its number among the incidents at its site. */
        long siteIncident;
        /** Whether it was reported in full (the first at its site), so its end is reported too. */
        boolean reported;
        /** Whether it was written to the process's standard error as a hang (see {@link #reportIfHung}). */
        boolean hungReported;
    }

    /**
     * A hold this many times the hub's maxBlockingTime (10 s by default) is a hang for practical
     * purposes. Its report goes straight to the process's standard error as well: where the
     * program's own output is buffered and written out by one of its threads (Maven Surefire's
     * forked JVMs do so, an asynchronous log appender too), that thread is a greenlet of the held
     * hub, and the logged report would not leave before the hold ends.
     */
    private static final int HUNG_TIMES_MAX = 100;
    private static final FileOutputStream STANDARD_ERROR = new FileOutputStream(FileDescriptor.err);

    /** The blocking problems at one call site. */
    private static final class Site {
        final String method;
        long incidents;
        /** Incidents ended since the site's last log line, and the longest of them (ms). */
        long unsummarised, longestUnsummarisedMs;
        long lastLineAt;

        Site(String method) {
            this.method = method;
        }
    }

    private final Map<Hub, Seen> seen = new HashMap<>();
    /** False when the monitor runs only to preempt ({@code coop.monitor=false}, {@code coop.preempt} set). */
    private final boolean report;
    private final Map<String, Site> sites = new HashMap<>();
    private final long repeatIntervalNanos = Config.duration("monitor.repeatInterval", Duration.ofSeconds(10)).toNanos();
    /** The JVM's count of loaded classes; null until {@link #warmUp}, or when this runtime has none. */
    private ClassLoadingMXBean classLoading;
    private long loadedClasses;
    /** When the monitor last saw the JVM load a class (its own loading excluded). */
    private long lastClassLoadAt;
    private long startUpHolds;
    private boolean warmedUp;

    /**
     * Loads the logging backend and the JVM's class-loading counter when an incident looks
     * likely, so the report is not late; a program that never holds its hub loads neither.
     */
    private void warmUp() {
        warmedUp = true;
        System.getLogger("io.coop").isLoggable(Level.WARNING);
        try {
            classLoading = ManagementFactory.getClassLoadingMXBean();
        } catch (LinkageError e) {
            // no java.management module in this runtime image: holders' stacks alone tell class loading
        }
        ignoreOwnClassLoading();
        lastClassLoadAt = System.nanoTime(); // what the JVM loaded before is unknown: as far as the monitor can tell, it just did
    }

    /** How often the agent's preemption wants to hear of a hold, and what it is told (null: no preemption). */
    private final Duration preemptEvery;
    private final ObjLongConsumer<Hub> onHeld;

    private BlockingMonitor(boolean report, Duration preemptEvery, ObjLongConsumer<Hub> onHeld) {
        this.report = report;
        this.preemptEvery = preemptEvery;
        this.onHeld = onHeld;
    }

    /**
     * Starts the monitor thread once: it reports incidents when {@code report}, and tells
     * {@code onHeld} (when not null) of each hub that has not switched, how long for, at least
     * every quarter of {@code preemptEvery}. Later calls change nothing.
     */
    static synchronized void start(boolean report, Duration preemptEvery, ObjLongConsumer<Hub> onHeld) {
        if (thread != null) return;
        Thread t = new MonitorThread(new BlockingMonitor(report, preemptEvery, onHeld));
        thread = t;
        t.start();
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
            if (!warmedUp && everyHubIdle()) warmUp(); // while the program waits, not during its first long hold
            noteClassLoading();
            for (Hub hub : Hub.all()) {
                period = Math.min(period, Math.max(5, hub.maxBlockingTime().toMillis() / 4));
                if (preemptEvery != null) period = Math.min(period, Math.max(1, preemptEvery.toMillis() / 4));
                try {
                    check(hub);
                } catch (RuntimeException e) {
                    // a hub changing under our feet: look again next time
                }
            }
            summariseRepeats();
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True when there is a hub and every hub waits for work. */
    private static boolean everyHubIdle() {
        List<Hub> hubs = Hub.all();
        for (Hub hub : hubs) if (!AgentSupport.isIdle(hub)) return false;
        return !hubs.isEmpty();
    }

    /** Notes the time when the JVM has loaded classes since the last look. */
    private void noteClassLoading() {
        if (classLoading == null) return;
        long loaded = classLoading.getTotalLoadedClassCount();
        if (loaded != loadedClasses) lastClassLoadAt = System.nanoTime();
        loadedClasses = loaded;
    }

    /** After the monitor's own work (logging, JFR, stacks), whose class loading says nothing about the hubs. */
    private void ignoreOwnClassLoading() {
        if (classLoading != null) loadedClasses = classLoading.getTotalLoadedClassCount();
    }

    private void check(Hub hub) {
        long now = System.nanoTime();
        long switches = hub.switchCount();
        Seen s = seen.computeIfAbsent(hub, h -> new Seen());
        if (switches != s.switches || AgentSupport.isIdle(hub)) {
            if (s.incident != null) end(hub, s, now);
            s.switches = switches;
            s.since = now;
            if (s.event != null) s.event.begin();
            return;
        }
        Duration max = hub.maxBlockingTime();
        long heldNanos = now - s.since;
        if (onHeld != null) onHeld.accept(hub, heldNanos);
        if (!report) return;
        if (s.event == null) s.event = beginEvent();
        if (!warmedUp && heldNanos >= max.toNanos() / 2) warmUp();
        if (heldNanos < max.toNanos()) return;
        if (s.incident != null && s.incident.site != null) {
            reportIfHung(hub, s.incident, heldNanos, max);
            return;
        }
        if (s.incident == null) {
            Greenlet<?> culprit = mounted(hub);
            if (culprit == null && hub.greenlets().isEmpty()) return; // the thread does other work; no greenlet waits for it
            s.incident = new Incident();
            s.incident.culprit = culprit;
        }
        Incident incident = s.incident;
        incident.stack = holder(hub, incident).getStackTrace();
        ignoreOwnClassLoading();
        if (now - lastClassLoadAt < max.toNanos() || inClassLoading(incident.stack)) { // start-up work, so far
            reportIfHung(hub, incident, heldNanos, max);
            return;
        }
        Site site = sites.computeIfAbsent(callSite(incident.stack), Site::new);
        incident.site = site;
        incident.siteIncident = ++site.incidents;
        if (incident.siteIncident == 1) {
            incident.reported = true;
            site.lastLineAt = now;
            log(Level.WARNING, "coop: the hub on thread \"" + hub.thread().getName() + "\" has been blocked for " + heldNanos / 1_000_000
                    + " ms (coop.maxBlockingTime is " + max.toMillis() + " ms) by " + who(incident) + ":" + format(incident.stack));
        }
    }

    /** Writes a hold that has lasted {@link #HUNG_TIMES_MAX} times {@code max} to the process's standard error, once, with the holder's stack now. */
    private void reportIfHung(Hub hub, Incident incident, long heldNanos, Duration max) {
        if (incident.hungReported || heldNanos < max.toNanos() * HUNG_TIMES_MAX) return;
        incident.hungReported = true;
        StackTraceElement[] stack = holder(hub, incident).getStackTrace();
        String line = "coop: the hub on thread \"" + hub.thread().getName() + "\" has been blocked for " + heldNanos / 1_000_000
                + " ms by " + who(incident) + " and still is: none of its other greenlets has run since, nor any output they"
                + " would write (this report goes straight to standard error):" + format(stack) + System.lineSeparator();
        try {
            STANDARD_ERROR.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // no standard error: the logged report is all there is
        }
        ignoreOwnClassLoading();
    }

    /** The thread whose stack shows the hold: the greenlet's, or the hub thread's own. */
    private static Thread holder(Hub hub, Incident incident) {
        return incident.culprit != null ? incident.culprit.thread() : hub.thread();
    }

    /** A hold that lasted past maxBlockingTime is over: its length, reported and recorded. */
    private void end(Hub hub, Seen s, long now) {
        Incident incident = s.incident;
        s.incident = null;
        long heldMs = (now - s.since) / 1_000_000;
        if (incident.site == null) {
            startUpHolds++;
            log(Level.DEBUG, "coop: start-up work (class loading) held the hub on thread \"" + hub.thread().getName() + "\" for " + heldMs
                    + " ms at " + callSite(incident.stack) + "; not a blocking problem (" + startUpHolds + " such holds so far)");
            return;
        }
        Site site = incident.site;
        if (incident.reported) {
            log(Level.WARNING, "coop: the hub on thread \"" + hub.thread().getName() + "\" was blocked for " + heldMs + " ms in all by "
                    + who(incident) + " at " + site.method);
        } else {
            site.unsummarised++;
            site.longestUnsummarisedMs = Math.max(site.longestUnsummarisedMs, heldMs);
        }
        if (commitEvent(s.event, hub, incident, heldMs)) s.event = null;
    }

    /** One line per call site with repeats not yet reported, at most every repeatInterval. */
    private void summariseRepeats() {
        long now = System.nanoTime();
        for (Site site : sites.values()) {
            if (site.unsummarised == 0 || now - site.lastLineAt < repeatIntervalNanos) continue;
            log(Level.WARNING, "coop: the hub was blocked " + site.unsummarised + " more times at " + site.method + " in the last "
                    + (now - site.lastLineAt) / 1_000_000_000 + " s (longest " + site.longestUnsummarisedMs + " ms)");
            site.unsummarised = 0;
            site.longestUnsummarisedMs = 0;
            site.lastLineAt = now;
        }
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

    /** Whether the stack is loading, linking (an invokedynamic call site or constant) or initializing a class. */
    static boolean inClassLoading(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName(), m = e.getMethodName();
            if (m.equals("<clinit>")
                    || (c.equals("java.lang.ClassLoader") && (m.startsWith("loadClass") || m.startsWith("defineClass")))
                    || c.equals("java.lang.invoke.MethodHandleNatives")) return true;
        }
        return false;
    }

    /**
     * The call site of a hold: the method of its first frame outside the JDK and coop, else of its
     * top frame. A method, not a line: samples of one computing loop land on different lines.
     */
    static String callSite(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("com.sun.")
                    || c.startsWith("io.coop."))) return c + "." + e.getMethodName();
        }
        return stack.length > 0 ? stack[0].getClassName() + "." + stack[0].getMethodName() : "an unknown method";
    }

    private static String who(Incident incident) {
        return incident.culprit != null ? "greenlet \"" + incident.culprit.name() + "\"" : "the hub thread's own code (its main greenlet)";
    }

    private static String format(StackTraceElement[] stack) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : stack) b.append("\n\tat ").append(e);
        return b.toString();
    }

    private void log(Level level, String message) {
        System.Logger logger = System.getLogger("io.coop");
        if (logger.isLoggable(level)) logger.log(level, message);
        ignoreOwnClassLoading();
    }

    /** A JFR event begun now, or null in a runtime image without the jdk.jfr module. */
    private HubBlockedEvent beginEvent() {
        try {
            HubBlockedEvent event = new HubBlockedEvent();
            event.begin();
            return event;
        } catch (LinkageError e) {
            return null;
        } finally {
            ignoreOwnClassLoading();
        }
    }

    /** Commits the hold's event; false when there is none or JFR does not record it, so that it can be begun again. */
    private boolean commitEvent(HubBlockedEvent event, Hub hub, Incident incident, long heldMs) {
        if (event == null) return false;
        event.end();
        if (!event.shouldCommit()) return false;
        event.hubThread = hub.thread().getName();
        event.greenlet = incident.culprit != null ? incident.culprit.name() : "main greenlet";
        event.blockedMillis = heldMs;
        event.callSite = incident.site.method;
        event.callSiteIncidents = incident.siteIncident;
        event.stack = format(incident.stack).strip();
        event.commit();
        ignoreOwnClassLoading();
        return true;
    }
}
