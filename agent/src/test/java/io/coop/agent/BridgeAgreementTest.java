package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.coop.agent.bridge.CoopBridge;
import io.coop.agent.bridge.CoopHooks;
import org.junit.jupiter.api.Test;

/**
 * The lists that name a hook agree: every patch's targets and redirects, {@link CoopBridge}'s
 * static methods, {@link CoopHooks} and {@link HooksImpl}. A target without its bridge method,
 * a bridge method nothing calls, or a hook the bridge never asks fails here instead of at the
 * weave (or never).
 */
class BridgeAgreementTest {
    private static final int JDK = Runtime.version().feature();

    /** A main class as MainRunner weaves it. */
    static final class SomeMain {
        public static void main(String[] args) {
        }
    }

    /** Every target coop weaves: each patch's, and the application main's. */
    private static List<Target> targets() {
        List<Target> all = new ArrayList<>();
        for (Patch p : CoopAgent.patches()) all.addAll(p.targets(JDK));
        all.addAll(MainRunner.targets(SomeMain.class.getName()));
        return all;
    }

    private static List<Redirect> redirects() {
        List<Redirect> all = new ArrayList<>();
        for (Patch p : CoopAgent.patches()) all.addAll(p.redirects());
        all.addAll(ClockRedirects.REDIRECTS); // installed when a hub first runs on virtual time
        return all;
    }

    /** CoopBridge's public static methods, by name. */
    private static Map<String, List<Method>> bridgeMethods() {
        Map<String, List<Method>> m = new LinkedHashMap<>();
        for (Method method : CoopBridge.class.getDeclaredMethods()) {
            int mod = method.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod)) m.computeIfAbsent(method.getName(), k -> new ArrayList<>()).add(method);
        }
        return m;
    }

    @Test
    void everyTargetCallsABridgeMethodOfItsShape() throws Exception {
        Map<String, List<Method>> bridge = bridgeMethods();
        List<String> problems = new ArrayList<>();
        for (Target t : targets()) {
            List<Method> ms = bridge.get(t.hook());
            if (ms == null) {
                problems.add(t + ": CoopBridge has no public static " + t.hook());
                continue;
            }
            if (ms.size() != 1) {
                problems.add(t + ": CoopBridge." + t.hook() + " is overloaded (hooks are found by name)");
                continue;
            }
            String problem = shapeProblem(t, ms.get(0));
            if (problem != null) problems.add(t + ": " + problem);
        }
        assertEquals(List.of(), problems);
    }

    /** Null if {@code hook} can take what the weaver passes for {@code t}: (receiver or class,) then every argument. */
    private static String shapeProblem(Target t, Method hook) throws Exception {
        if (hook.getReturnType() != Object.class) return "CoopBridge." + hook.getName() + " must return Object";
        List<String> args = Weaver.argumentTypes(t.descriptor());
        Class<?>[] params = hook.getParameterTypes();
        boolean passSelf = params.length == args.size() + 1;
        if (!passSelf && params.length != args.size()) {
            return "CoopBridge." + hook.getName() + " takes " + params.length + " arguments, the method passes " + args.size()
                    + " (or " + (args.size() + 1) + " with the receiver)";
        }
        ClassLoader loader = BridgeAgreementTest.class.getClassLoader();
        Class<?> owner;
        try {
            owner = Class.forName(t.className(), false, loader);
        } catch (ClassNotFoundException e) {
            return t.optional() ? null : "no class " + t.className() + " on this JDK";
        }
        Method jdkMethod = null;
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(t.method()) && Weaver.descriptor(m).equals(t.descriptor())) jdkMethod = m;
        }
        if (jdkMethod == null) return t.optional() ? null : "no such method on this JDK";
        int i = 0;
        if (passSelf) {
            Class<?> self = Modifier.isStatic(jdkMethod.getModifiers()) ? Class.class : owner;
            if (!params[0].isAssignableFrom(self)) return "the receiver is a " + self.getName() + ", the hook takes " + params[0].getName();
            i = 1;
        }
        for (Class<?> a : jdkMethod.getParameterTypes()) {
            Class<?> p = params[i++];
            if (a.isPrimitive() ? p != a : !p.isAssignableFrom(a)) {
                return "argument " + (passSelf ? i - 1 : i) + " is a " + a.getName() + ", the hook takes " + p.getName();
            }
        }
        return null;
    }

    @Test
    void everyRedirectCallsABridgeMethodOfTheSameNameAndDescriptor() {
        Map<String, List<Method>> bridge = bridgeMethods();
        List<String> problems = new ArrayList<>();
        for (Redirect r : redirects()) {
            List<Method> ms = bridge.getOrDefault(r.method(), List.of());
            if (ms.stream().noneMatch(m -> Weaver.descriptor(m).equals(r.descriptor()))) {
                problems.add(r + ": CoopBridge has no public static " + r.method() + r.descriptor());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyBridgeMethodIsCalled() {
        Set<String> called = new TreeSet<>();
        for (Target t : targets()) called.add(t.hook());
        for (Redirect r : redirects()) called.add(r.method());
        called.add(AppClassRewriter.YIELD_POINT);
        Set<String> uncalled = new TreeSet<>(bridgeMethods().keySet());
        uncalled.removeAll(called);
        assertEquals(Set.of(), uncalled, "CoopBridge methods no target, redirect or coop itself calls");
    }

    @Test
    void everyHookIsImplementedAndAskedByTheBridge() throws IOException {
        Set<String> asked = interfaceCalls(CoopBridge.class, CoopHooks.class);
        List<String> problems = new ArrayList<>();
        for (Method m : CoopHooks.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            String sig = m.getName() + Weaver.descriptor(m);
            try {
                Method impl = HooksImpl.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                if (impl.isBridge() || impl.isSynthetic()) problems.add("HooksImpl does not implement " + sig);
            } catch (NoSuchMethodException e) {
                problems.add("HooksImpl does not implement " + sig);
            }
            if (!asked.contains(sig)) problems.add("CoopBridge never calls CoopHooks." + sig);
        }
        assertEquals(List.of(), problems);
        assertTrue(CoopHooks.class.isAssignableFrom(HooksImpl.class));
    }

    /** The interface methods of {@code callee} (name + descriptor) that {@code caller}'s class file calls. */
    static Set<String> interfaceCalls(Class<?> caller, Class<?> callee) throws IOException {
        byte[] bytes;
        try (InputStream in = caller.getResourceAsStream(caller.getSimpleName() + ".class")) {
            bytes = in.readAllBytes();
        }
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        d.skipBytes(8);
        int count = d.readUnsignedShort();
        int[] tag = new int[count];
        int[] a = new int[count];
        int[] b = new int[count];
        String[] utf = new String[count];
        for (int i = 1; i < count; i++) {
            tag[i] = d.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf[i] = d.readUTF();
                case 7, 8, 16, 19, 20 -> a[i] = d.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    a[i] = d.readUnsignedShort();
                    b[i] = d.readUnsignedShort();
                }
                case 3, 4 -> d.skipBytes(4);
                case 5, 6 -> {
                    d.skipBytes(8);
                    i++;
                }
                case 15 -> d.skipBytes(3);
                default -> throw new IllegalStateException("constant pool tag " + tag[i]);
            }
        }
        String calleeName = callee.getName().replace('.', '/');
        Set<String> calls = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (tag[i] == 11 && calleeName.equals(utf[a[a[i]]])) {
                int nt = b[i];
                calls.add(utf[a[nt]] + utf[b[nt]]);
            }
        }
        return calls;
    }
}
