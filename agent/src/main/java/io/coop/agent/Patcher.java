package io.coop.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.coop.agent.bridge.CoopBridge;

/**
 * Weaves the bridge calls into an exact list of JDK methods by retransforming only their
 * classes, with the JDK's class-file API (see {@link Weaver}): no type matching over everything
 * loaded (that costs about half a second at start-up), no class format change (the JVM forbids it
 * for loaded classes), no class hierarchy looked up while weaving, and all or nothing: if one
 * class cannot be woven, every class is put back as it was.
 *
 * <pre>{@code
 * Patcher p = new Patcher(inst, List.of(new Target("java.lang.VirtualThread", "sleepNanos", "(J)V", "sleep")));
 * p.apply();   // throws PatchException, leaving the JDK unchanged, if any target fails
 * }</pre>
 */
public final class Patcher implements ClassFileTransformer {
    private static final String BRIDGE = Bridge.REAL;
    /** Each CoopBridge hook's JVM descriptor, by name. */
    private static final Map<String, String> HOOKS = new java.util.HashMap<>();

    static {
        for (Method m : CoopBridge.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) HOOKS.put(m.getName(), Weaver.descriptor(m));
        }
    }

    private final Instrumentation inst;
    private final Map<String, List<Target>> byClass = new LinkedHashMap<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private final Map<String, List<String>> woven = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    public Patcher(Instrumentation inst, List<Target> targets) {
        this.inst = inst;
        for (Target t : targets) {
            String key = t.className().replace('.', '/');
            List<Target> l = byClass.get(key);
            if (l == null) byClass.put(key, l = new ArrayList<>());
            l.add(t);
        }
    }

    /** Thrown when the JDK lacks a required target or a class cannot be woven; the JDK is left as it was. */
    public static final class PatchException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Target target;

        PatchException(String message, Target target, Throwable cause) {
            super(message, cause);
            this.target = target;
        }

        /** The target that is missing or failed, if known. */
        public Target target() {
            return target;
        }
    }

    /** A required method this JDK does not have. */
    private static final class MissingTarget extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Target target;

        MissingTarget(Target target) {
            super(target.toString(), null, false, false);
            this.target = target;
        }
    }

    /** Null if {@code t} exists on this JDK (class, name and descriptor), else what is missing. */
    public static String findMissing(Target t) {
        Class<?> c;
        try {
            c = Class.forName(t.className(), false, null);
        } catch (ClassNotFoundException e) {
            return t.className() + " (class missing)";
        }
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(t.method()) && Weaver.descriptor(m).equals(t.descriptor())) return null;
        }
        return t.toString();
    }

    /**
     * Retransforms every target class; all or nothing: a required target missing from this JDK
     * (class, name or descriptor) or a class that cannot be woven puts every class back.
     */
    public void apply() throws PatchException {
        for (Map.Entry<String, List<Target>> e : byClass.entrySet()) {
            try {
                Class.forName(e.getKey().replace('/', '.'), false, null);
            } catch (ClassNotFoundException x) {
                for (Target t : e.getValue()) {
                    if (!t.optional()) throw new PatchException("no " + t.className() + " in this JDK", t, x);
                }
            }
        }
        List<Class<?>> classes = classes();
        inst.addTransformer(this, true);
        Throwable error = null;
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            error = t;
        }
        if (error == null && failures.isEmpty()) return;
        // put every class back: without this transformer a retransformation restores the JDK's bytes
        undo();
        if (error == null) throw failure();
        throw new PatchException("retransforming the JDK classes failed: " + error, null, error);
    }

    /** Why the first class that could not be woven was left as it was (a required target it lacks, or the weaver's error); null if none. */
    PatchException failure() {
        if (failures.isEmpty()) return null;
        Map.Entry<String, Throwable> first = failures.entrySet().iterator().next();
        Throwable f = first.getValue();
        if (f instanceof MissingTarget m) return new PatchException("no " + m.target + " in this JDK", m.target, null);
        return new PatchException("cannot weave " + first.getKey().replace('/', '.') + ": " + f, null, f);
    }

    /** Removes every change again (the JDK's own bytes come back). */
    public void undo() {
        enabled = false;
        inst.removeTransformer(this);
        try {
            inst.retransformClasses(classes().toArray(new Class<?>[0]));
        } catch (Throwable ignored) {
            // the hooks are detached anyway
        }
    }

    private List<Class<?>> classes() {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : byClass.keySet()) {
            try {
                classes.add(Class.forName(name.replace('/', '.'), false, null));
            } catch (ClassNotFoundException ignored) {
                // checked before
            }
        }
        return classes;
    }

    /** The woven methods, as "class.method(descriptor)". */
    public List<String> wovenMethods() {
        List<String> all = new ArrayList<>();
        for (List<String> l : woven.values()) all.addAll(l);
        return all;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] buffer) {
        if (!enabled || className == null || redefined == null) return null;
        List<Target> targets = byClass.get(className);
        if (targets == null) return null;
        try {
            if (CoopAgent.TRACE) CoopAgent.trace("transform " + className + " called");
            List<String> done = new ArrayList<>();
            byte[] bytes = weave(buffer, targets, done);
            if (CoopAgent.TRACE) CoopAgent.trace("woven " + className);
            for (Target t : targets) {
                if (!t.optional() && !done.contains(t.toString())) throw new MissingTarget(t);
            }
            woven.put(className, done);
            return done.isEmpty() ? null : bytes;
        } catch (Throwable t) {
            failures.put(className, t);
            return null;
        }
    }

    /** {@code buffer} with a bridge call at the start of each target method; {@code done} lists what was woven. */
    static byte[] weave(byte[] buffer, List<Target> targets, List<String> done) {
        return Weaver.weave(buffer, targets, HOOKS, done);
    }
}
