package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The class-file weaver on methods of every shape the JDK targets have (static and instance,
 * void/boolean/int/long/reference/array results, long and double arguments, loops, switches,
 * try/catch, constructors called inside): the woven class passes the JVM's verifier (it is
 * loaded by an ordinary class loader, which verifies), a hook answering null leaves the method
 * as it was, and a non-null answer is returned (unboxed) without running the method.
 */
class WeaverTest {

    /** The methods woven below; their own results show whether their code ran. */
    public static class Sample {
        private final int base;

        public Sample(int base) {
            this.base = base;
        }

        public static void touch(long[] box, long v) {
            box[0] = v;
        }

        public boolean positive(int x) {
            return x + base > 0;
        }

        public int sum(int n, long big, double d) {
            int s = base;
            for (int i = 0; i < n; i++) {
                switch (i % 3) {
                    case 0 -> s += 1;
                    case 1 -> s += 2;
                    default -> s += 3;
                }
            }
            return s + (int) (big % 7) + (int) d;
        }

        public static long twice(long v) {
            try {
                if (v < 0) throw new IllegalArgumentException("negative");
                return v * 2;
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }

        public String describe(Object o) {
            StringBuilder sb = new StringBuilder();
            for (Object x : new Object[] {o, base}) sb.append(x).append(';');
            return sb.toString();
        }

        public static String[] split(String s) {
            return s.split(",");
        }

        public static void main(String[] args) {
            if (args.length > 0) args[0] = "ran";
        }
    }

    /** The hooks: each answers what the test set, counting calls. */
    public static class TestBridge {
        public static Object answer;
        public static int calls;
        public static Object lastSelf;
        public static List<Object> lastArgs = new ArrayList<>();

        private static Object record(Object self, Object... args) {
            calls++;
            lastSelf = self;
            lastArgs = List.of(args);
            return answer;
        }

        public static Object touch(long[] box, long v) {
            return record(null, box, v);
        }

        public static Object positive(Object self, int x) {
            return record(self, x);
        }

        public static Object sum(Object self, int n, long big, double d) {
            return record(self, n, big, d);
        }

        public static Object twice(long v) {
            return record(null, v);
        }

        public static Object describe(Object self, Object o) {
            return record(self, o);
        }

        public static Object split(String s) {
            return record(null, s);
        }

        public static Object runMain(Class<?> type, String[] args) {
            return record(type, (Object) args);
        }
    }

    private static Class<?> woven;

    private static synchronized Class<?> woven() throws Exception {
        if (woven != null) return woven;
        String name = Sample.class.getName();
        byte[] bytes;
        try (InputStream in = WeaverTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        String owner = name;
        List<Target> targets = List.of(
                new Target(owner, "touch", "([JJ)V", "touch"),
                new Target(owner, "positive", "(I)Z", "positive"),
                new Target(owner, "sum", "(IJD)I", "sum"),
                new Target(owner, "twice", "(J)J", "twice"),
                new Target(owner, "describe", "(Ljava/lang/Object;)Ljava/lang/String;", "describe"),
                new Target(owner, "split", "(Ljava/lang/String;)[Ljava/lang/String;", "split"),
                new Target(owner, "main", "([Ljava/lang/String;)V", "runMain"));
        Map<String, String> hooks = new HashMap<>();
        for (Method m : TestBridge.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers())) hooks.put(m.getName(), Weaver.descriptor(m));
        }
        List<String> done = new ArrayList<>();
        byte[] out = Weaver.weave(bytes, targets, hooks, done, TestBridge.class.getName().replace('.', '/'));
        assertEquals(targets.size(), done.size(), "woven: " + done);
        ClassLoader loader = new ClassLoader(WeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (this) {
                        Class<?> c = findLoadedClass(n);
                        if (c == null) c = defineClass(n, out, 0, out.length);
                        return c;
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        woven = Class.forName(name, true, loader); // an ordinary loader: the JVM verifies the woven class
        for (Method m : woven.getDeclaredMethods()) m.setAccessible(true);
        return woven;
    }

    private static Object call(Object target, String method, Object... args) throws Exception {
        for (Method m : woven().getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw (Exception) e.getCause();
                }
            }
        }
        throw new AssertionError("no " + method);
    }

    private static Object sample(int base) throws Exception {
        return woven().getConstructor(int.class).newInstance(base);
    }

    @Test
    void nullFromTheHookRunsTheMethodAsBefore() throws Exception {
        synchronized (TestBridge.class) {
            TestBridge.answer = null;
            Object s = sample(10);
            long[] box = new long[1];
            call(null, "touch", box, 42L);
            assertEquals(42L, box[0]);
            assertEquals(true, call(s, "positive", -5));
            assertEquals(false, call(s, "positive", -15));
            assertEquals(10 + 1 + 2 + 3 + 1 + (100 % 7) + 2, call(s, "sum", 4, 100L, 2.5));
            assertEquals(8L, call(null, "twice", 4L));
            assertEquals(-1L, call(null, "twice", -4L));
            assertEquals("x;10;", call(s, "describe", "x"));
            assertArrayEquals(new String[] {"a", "b"}, (String[]) call(null, "split", "a,b"));
            String[] args = {"x"};
            call(null, "main", (Object) args);
            assertEquals("ran", args[0]);
        }
    }

    @Test
    void theHookSeesTheReceiverOrClassAndEveryArgument() throws Exception {
        synchronized (TestBridge.class) {
            TestBridge.answer = null;
            Object s = sample(1);
            call(s, "sum", 3, 1L << 40, 0.5);
            assertTrue(TestBridge.lastSelf == s);
            assertEquals(List.of(3, 1L << 40, 0.5), TestBridge.lastArgs);
            String[] args = {"y"};
            call(null, "main", (Object) args);
            assertEquals(woven(), TestBridge.lastSelf, "a static method's hook gets its class");
        }
    }

    @Test
    void nonNullFromTheHookIsTheResultAndTheMethodDoesNotRun() throws Exception {
        synchronized (TestBridge.class) {
            Object s = sample(10);
            TestBridge.answer = Boolean.TRUE;
            long[] box = new long[1];
            call(null, "touch", box, 42L);
            assertEquals(0L, box[0], "skipped");
            TestBridge.answer = Boolean.FALSE;
            assertEquals(false, call(s, "positive", 100));
            TestBridge.answer = 77;
            assertEquals(77, call(s, "sum", 4, 100L, 2.5));
            TestBridge.answer = 5L;
            assertEquals(5L, call(null, "twice", 4L));
            TestBridge.answer = "hooked";
            assertEquals("hooked", call(s, "describe", "x"));
            TestBridge.answer = new String[] {"z"};
            assertArrayEquals(new String[] {"z"}, (String[]) call(null, "split", "a,b"));
            TestBridge.answer = Boolean.TRUE;
            String[] args = {"x"};
            call(null, "main", (Object) args);
            assertEquals("x", args[0], "main skipped");
            TestBridge.answer = "not a boolean";
            assertThrows(ClassCastException.class, () -> call(s, "positive", 1));
            TestBridge.answer = null;
        }
    }

    @Test
    void renamedBridgeClassesPassTheVerifierAndConnect() throws Exception {
        byte[][] stubs = Bridge.readClasses(Bridge.STUB_PREFIX + "Hooks", Bridge.STUB_PREFIX + "Bridge", "io/coop/agent/HooksImpl");
        Map<String, byte[]> renamed = new HashMap<>();
        renamed.put("jdk.internal.misc.CoopHooks", Bridge.remap(stubs[0]));
        renamed.put("jdk.internal.misc.CoopBridge", Bridge.remap(stubs[1]));
        renamed.put("io.coop.agent.HooksImpl", Bridge.remap(stubs[2]));
        // an ordinary loader of its own (so the JVM verifies what it defines), child-first for the renamed classes
        ClassLoader loader = new ClassLoader(WeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                byte[] b = renamed.get(n);
                if (b == null) return super.loadClass(n, resolve);
                synchronized (this) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : defineClass(n, b, 0, b.length);
                }
            }
        };
        Class<?> hooks = Class.forName("jdk.internal.misc.CoopHooks", true, loader);
        Class<?> bridge = Class.forName("jdk.internal.misc.CoopBridge", true, loader);
        Class<?> impl = Class.forName("io.coop.agent.HooksImpl", true, loader); // its initializer sets CoopBridge.HOOKS
        assertTrue(hooks.isInterface() && hooks.isAssignableFrom(impl));
        assertEquals(hooks, bridge.getDeclaredField("HOOKS").getType());
        assertEquals(impl, bridge.getDeclaredField("HOOKS").get(null).getClass());
        for (Method m : bridge.getDeclaredMethods()) {
            assertTrue(!Weaver.descriptor(m).contains("io/coop/agent/bridge"), m::toString);
        }
    }

    @Test
    void aNameTheRenamingCannotReachIsRefusedNotLeftBehind() throws IOException {
        byte[] bytes;
        try (InputStream in = WeaverTest.class.getResourceAsStream("/" + Sample.class.getName().replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        // "negative" is only in a string constant (Sample.twice's message), which is no class name
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Weaver.rename(bytes, "negative", "positive"));
        assertTrue(e.getMessage().contains("left negative behind"), e.getMessage());
    }

    @Test
    void bridgeStubsAreRenamedToTheRealBridge() throws IOException {
        byte[][] stubs = Bridge.readClasses(Bridge.STUB_PREFIX + "Bridge");
        String text = new String(Bridge.remap(stubs[0]), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("jdk/internal/misc/CoopBridge") && text.contains("jdk/internal/misc/CoopHooks"));
        assertTrue(!text.contains("io/coop/agent/bridge"));
    }
}
