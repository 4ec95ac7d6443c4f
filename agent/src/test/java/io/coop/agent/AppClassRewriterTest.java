package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application-class rewrite on real compiled classes, run in a class loader of their own
 * with a counting bridge: a yield point before each loop back-edge (one per iteration, none
 * for straight-line code or forward jumps), onSpinWait calls redirected, results unchanged.
 */
class AppClassRewriterTest {
    /** The bridge the woven test classes call, counting. */
    public static final class CountingBridge {
        public static int yieldPoints;
        public static int spinWaits;

        public static void yieldPoint() {
            yieldPoints++;
        }

        public static void onSpinWait() {
            spinWaits++;
        }
    }

    /** Application code as anyone writes it. */
    public static final class Sample {
        public static long sum(int n) {
            long s = 0;
            for (int i = 0; i < n; i++) s += i;
            return s;
        }

        public static int nested(int n) {
            int c = 0;
            for (int i = 0; i < n; i++) {
                int j = 0;
                while (j < n) {
                    c++;
                    j++;
                }
            }
            return c;
        }

        public static int straight(int x) {
            return x > 0 ? x * 2 : -x;
        }

        public static int spin(int n) {
            int turns = 0;
            do {
                Thread.onSpinWait();
                turns++;
            } while (turns < n);
            return turns;
        }
    }

    private static final List<Redirect> SPIN = new ThreadPatch().redirects();
    private static final String BRIDGE = CountingBridge.class.getName().replace('.', '/');

    @BeforeEach
    void reset() {
        CountingBridge.yieldPoints = 0;
        CountingBridge.spinWaits = 0;
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static byte[] sampleBytes() throws IOException {
        return classFile(Sample.class);
    }

    /** Defines the woven Sample in a loader of its own (the bridge comes from the test's loader). */
    private static Class<?> load(byte[] woven) {
        return new ClassLoader(AppClassRewriterTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(Sample.class.getName(), woven, 0, woven.length);
            }
        }.define();
    }

    private static Object call(Class<?> c, String method, int arg) throws ReflectiveOperationException {
        Method m = c.getMethod(method, int.class);
        return m.invoke(null, arg);
    }

    @Test
    void aYieldPointPerLoopIteration() throws Exception {
        Class<?> woven = load(AppClassRewriter.rewrite(sampleBytes(), List.of(), true, BRIDGE));
        assertEquals(Sample.sum(1000), call(woven, "sum", 1000));
        assertEquals(1000, CountingBridge.yieldPoints, "one per back-edge taken (the last test exits forward)");
        reset();
        assertEquals(Sample.nested(30), call(woven, "nested", 30));
        assertEquals(30 * 30 + 30, CountingBridge.yieldPoints, "inner and outer back-edges");
        reset();
        assertEquals(Sample.straight(-4), call(woven, "straight", -4));
        assertEquals(0, CountingBridge.yieldPoints, "forward jumps are not loops");
        assertEquals(0, CountingBridge.spinWaits, "onSpinWait is left alone without the spins rewrite");
    }

    @Test
    void onSpinWaitCallsGoToTheBridge() throws Exception {
        Class<?> woven = load(AppClassRewriter.rewrite(sampleBytes(), SPIN, false, BRIDGE));
        assertEquals(50, call(woven, "spin", 50));
        assertEquals(50, CountingBridge.spinWaits);
        assertEquals(0, CountingBridge.yieldPoints, "no back-edge yield points without coop.preempt");
    }

    @Test
    void aClassWithNothingToRewriteIsLeftAsItIs() throws Exception {
        assertNull(AppClassRewriter.rewrite(classFile(CountingBridge.class), SPIN, false, BRIDGE));
        byte[] sample = sampleBytes();
        byte[] copy = sample.clone();
        AppClassRewriter.rewrite(sample, SPIN, true, BRIDGE);
        assertArrayEquals(copy, sample, "the input is not changed");
    }

    @Test
    void onlyClassesNamingOnSpinWaitAreParsed() throws Exception {
        AppClassRewriter.Word w = new AppClassRewriter.Word("onSpinWait");
        assertTrue(w.in(sampleBytes()));
        assertFalse(w.in(classFile(Target.class)));
        assertTrue(w.in(bytes("onSpinWait")));
        assertTrue(w.in(bytes("xxonSpinWait")));
        assertTrue(w.in(bytes("onSpinWaitxx")));
        assertFalse(w.in(bytes("onSpinWai")));
        assertFalse(w.in(bytes("nSpinWaitonSpinWai")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
