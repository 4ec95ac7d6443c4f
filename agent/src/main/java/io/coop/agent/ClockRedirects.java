package io.coop.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What makes a hub's virtual time the time a program sees: calls of {@code System.nanoTime()}
 * and {@code System.currentTimeMillis()} in application classes and in
 * {@code java.util.concurrent} (whose timed waits count their deadlines with it) go to
 * {@code CoopBridge}, which answers a greenlet with its hub's clock and anyone else with the
 * JDK's. Installed when a hub first runs on virtual time, not before: until then no class pays
 * for it. The classes already loaded then are rewritten in place (retransformed); a call site is
 * all that changes.
 *
 * <pre>{@code
 * // a greenlet of a seeded hub, in unmodified code:
 * latch.await(20, TimeUnit.MINUTES);   // AQS counts the 20 minutes with the hub's clock: no real wait
 * }</pre>
 */
final class ClockRedirects implements ClassFileTransformer {
    static final List<Redirect> REDIRECTS = List.of(new Redirect("java/lang/System", "nanoTime", "()J"),
            new Redirect("java/lang/System", "currentTimeMillis", "()J"));
    private static final String JUC = "java/util/concurrent/";
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    /** The rewriting itself, shared with the application classes' own rewriter. */
    private final AppClassRewriter rewriter;

    private ClockRedirects(Instrumentation inst) {
        this.rewriter = new AppClassRewriter(inst, REDIRECTS, false);
    }

    /** Rewrites the classes loaded from now on, and those already loaded; once per JVM. */
    static void install(Instrumentation inst) {
        if (!INSTALLED.compareAndSet(false, true)) return;
        ClockRedirects t = new ClockRedirects(inst);
        inst.addTransformer(t, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && !c.isHidden() && inst.isModifiableClass(c) && t.wants(c.getClassLoader(), internalName(c), c.getProtectionDomain())) {
                loaded.add(c);
            }
        }
        try {
            if (!loaded.isEmpty()) inst.retransformClasses(loaded.toArray(Class<?>[]::new));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            System.err.println("coop: virtual time: could not rewrite the clock calls of the classes already loaded (" + e
                    + "); those read the real clock");
        }
    }

    private static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    /** java.util.concurrent, and application classes (not coop's own). */
    private boolean wants(ClassLoader loader, String className, ProtectionDomain domain) {
        if (loader == null) return className != null && className.startsWith(JUC);
        return AppClassRewriter.isApplicationClass(loader, className, domain);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] buffer) {
        return wants(loader, className, domain) ? rewriter.rewriteMentioned(module, buffer) : null;
    }
}
