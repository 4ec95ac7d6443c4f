package io.coop.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.coop.AgentSupport;
import io.coop.Config;

/**
 * coop's agent: opens the JDK internals coop needs to itself (no JVM flag for users), defines
 * the bootstrap bridge into {@code java.base}, weaves the patches of the chosen areas into the
 * JDK (all or nothing), and under {@code -javaagent} runs the application's {@code main} as the
 * main greenlet of a hub on the JVM main thread. A clean start prints nothing.
 *
 * <pre>{@code
 * java -javaagent:coop.jar -jar app.jar                       // every area
 * java -javaagent:coop.jar=socket,time,verbose -jar app.jar   // two areas, listing each patched method
 * }</pre>
 *
 * <p>If this JDK lacks a method a chosen area needs, nothing is patched: one sentence on stderr
 * says which, and the application runs as it would without coop (or the JVM exits with status
 * 1 when {@code coop.onUnsupported=fail}).
 */
public final class CoopAgent {
    private static final Map<String, Patch> PATCHES = new LinkedHashMap<>();

    static {
        for (Patch p : List.of(new TimePatch(), new ThreadPatch(), new SocketPatch(), new SelectPatch(), new DnsPatch(), new SubprocessPatch())) {
            if (PATCHES.put(p.area(), p) != null) throw new IllegalStateException("two patches of area " + p.area());
        }
    }

    /** Woven whenever any area is: what keeps every area's waits from hanging where a greenlet cannot unmount. */
    private static final Patch CORE = new PinnedWaits();

    private static volatile Instrumentation instrumentation;
    private static volatile Patcher patcher;
    private static volatile Set<String> patched = Collections.emptySet();

    private CoopAgent() {
    }

    /** The areas a user can choose, in the order they are woven: each area patch's {@link Patch#area()} (the source of {@code io.coop.monkey.PatchOptions.AREAS}). */
    public static List<String> areas() {
        return List.copyOf(PATCHES.keySet());
    }

    /** Every patch, in the order they are woven: one per area, then the core one woven with any area. */
    public static List<Patch> patches() {
        List<Patch> all = new ArrayList<>(PATCHES.values());
        all.add(CORE);
        return Collections.unmodifiableList(all);
    }

    /** Called by {@code io.coop.agent.boot.AgentEntry} (premain, agentmain). */
    public static void start(String options, Instrumentation inst, String how) {
        trace("start");
        AreaChoice opts;
        try {
            opts = AreaChoice.parse(options == null || options.isBlank() ? Config.get("patch") : options);
        } catch (IllegalArgumentException e) {
            System.err.println("coop: " + e.getMessage());
            if (how.equals("premain")) Runtime.getRuntime().halt(1);
            throw e;
        }
        opts.applySettings(); // before any hub is made: the main hub reads coop.seed when it is
        trace("parsed");
        // premain (-javaagent), or agentmain called by the launcher on the main thread before main
        // (Launcher-Agent-Class of an executable jar); a dynamic attach runs on "Attach Listener"
        Thread me = Thread.currentThread();
        boolean launched = how.equals("premain") || (!me.isVirtual() && me.getName().equals("main"));
        if (launched) MainRunner.prepare(Thread.currentThread());
        trace("prepared");
        String problem = install(inst, opts);
        if (problem != null) {
            unsupported(problem);
            return;
        }
        if (launched) {
            Callers.addDriver(Thread.currentThread());
            String main = MainRunner.mainClassName();
            if (main != null) inst.addTransformer(new MainTransformer(main), false);
        }
        trace("premain done");
    }

    /** True once the patches are in place (by the agent or by Monkey.patchAll). */
    public static boolean isInstalled() {
        return patcher != null;
    }

    /** The areas patched, in order; empty if none. */
    public static Set<String> patchedAreas() {
        return patched;
    }

    /**
     * Installs the patches of {@code opts}; returns null when done, else the sentence saying why
     * nothing was patched. Safe to call once per JVM (later calls return null and change nothing).
     */
    public static synchronized String install(Instrumentation inst, AreaChoice opts) {
        if (patcher != null) return null;
        int jdk = Runtime.version().feature();
        if (jdk < 24) {
            // the weaver uses java.lang.classfile (final in JDK 24), and greenlets need monitors that park (JEP 491, JDK 24)
            return "coop's agent needs JDK 24 or newer, this is " + Runtime.version() + "; the application runs without coop's patches.";
        }
        trace("install");
        List<Patch> chosen = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        Map<Target, String> areaOf = new java.util.IdentityHashMap<>();
        List<Patch> weave = new ArrayList<>();
        for (String area : opts.areas()) {
            Patch p = PATCHES.get(area);
            if (p != null) weave.add(p);
        }
        if (!weave.isEmpty()) weave.add(CORE);
        for (Patch p : weave) {
            String area = p.area();
            chosen.add(p);
            for (Target t : p.targets(jdk)) {
                targets.add(t);
                areaOf.put(t, area);
            }
        }
        try {
            trace("checked");
            openJdkInternals(inst);
            trace("opened");
            for (Patch p : chosen) p.prepare();
            trace("prepared patches");
            Bridge.install();
            trace("bridge");
            Patcher pt = new Patcher(inst, targets);
            try {
                pt.apply();
                trace("applied");
            } catch (Patcher.PatchException e) {
                String area = e.target() == null ? null : areaOf.get(e.target());
                return "coop cannot patch " + (area == null ? "this JDK" : "'" + area + "' on Java " + Runtime.version())
                        + " (" + e.getMessage() + "); the application runs without coop's patches.";
            }
            Set<String> areas = new LinkedHashSet<>();
            for (Patch p : chosen) if (p != CORE) areas.add(p.area());
            instrumentation = inst;
            patcher = pt;
            patched = Collections.unmodifiableSet(areas);
            if (opts.verbose()) {
                for (String m : pt.wovenMethods()) System.err.println("coop: patched " + m);
            }
            java.time.Duration preempt = YieldPoints.configure();
            List<Redirect> redirects = new ArrayList<>();
            for (Patch p : chosen) redirects.addAll(p.redirects());
            AppClassRewriter.install(inst, redirects, preempt != null);
            if (areas.contains("time")) AgentSupport.whenVirtualTimeStarts(() -> ClockRedirects.install(inst));
            boolean report = Config.flag("monitor", true);
            if (report || preempt != null) AgentSupport.startMonitor(report, preempt, preempt == null ? null : YieldPoints::held);
            return null;
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException | LinkageError e) {
            return "coop cannot patch this JVM (" + e + "); the application runs without coop's patches.";
        }
    }

    static final boolean TRACE = Boolean.getBoolean("coop.traceStartup");
    private static long last = System.nanoTime();

    static void trace(String what) {
        if (!TRACE) return;
        long now = System.nanoTime();
        System.err.println("coop start-up: " + what + " +" + (now - last) / 1000 + " us");
        last = now;
    }

    /** Opens the java.base packages coop reads or weaves to coop's own module. */
    static void openJdkInternals(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module coop = CoopAgent.class.getModule();
        Set<Module> to = Set.of(coop);
        Map<String, Set<Module>> opens = new HashMap<>();
        for (String pkg : new String[] {"java.lang", "java.net", "java.io", "java.util.concurrent", "java.util.concurrent.locks",
                "jdk.internal.misc", "jdk.internal.vm", "sun.nio.ch"}) {
            opens.put(pkg, to);
        }
        inst.redefineModule(base, Set.of(), opens, opens, Set.of(), Map.of());
    }

    private static void unsupported(String sentence) {
        System.err.println(sentence);
        boolean fail;
        try {
            String mode = Config.get("onUnsupported");
            fail = mode != null && mode.trim().equalsIgnoreCase("fail");
        } catch (RuntimeException e) {
            fail = false;
        }
        if (fail) Runtime.getRuntime().halt(1);
    }

    /** Weaves the main-greenlet advice into the application's main class when it loads. */
    private static final class MainTransformer implements ClassFileTransformer {
        private final String internalName;
        private final String name;
        private volatile boolean done;

        MainTransformer(String mainClass) {
            this.name = mainClass;
            this.internalName = mainClass.replace('.', '/');
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] buffer) {
            if (done || redefined != null || !internalName.equals(className)) return null;
            done = true;
            instrumentation.removeTransformer(this);
            try {
                List<String> done = new ArrayList<>();
                byte[] woven = Patcher.weave(buffer, MainRunner.targets(name), done);
                return done.isEmpty() ? null : woven;
            } catch (Throwable t) {
                System.err.println("coop: cannot run " + name + ".main as the main greenlet (" + t + "); it runs on the hub thread itself");
                return null;
            }
        }
    }
}
