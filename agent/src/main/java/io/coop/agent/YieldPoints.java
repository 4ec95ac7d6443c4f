package io.coop.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.coop.AgentSupport;
import io.coop.Config;
import io.coop.Greenlet;
import io.coop.Hub;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Places in application code (not the JDK's, not coop's) where a greenlet that never waits gives
 * the hub back, woven as each class loads:
 * <ul>
 * <li>every {@code Thread.onSpinWait()} call becomes {@code CoopBridge.onSpinWait()}: a greenlet
 *     yields, any other thread spins as before (with the {@code thread} area). Patching
 *     {@code Thread.onSpinWait} itself would not do: the JIT compiles it to one PAUSE instruction.</li>
 * <li>under {@code coop.preempt=DURATION} (opt-in), a call to {@code CoopBridge.yieldPoint()}
 *     before every backward jump (each loop's back-edge): one volatile read while nobody is
 *     asked to yield. The blocking monitor asks the greenlet that has held its hub for
 *     DURATION; it yields at its next back-edge, behind every greenlet ready then.</li>
 * </ul>
 * Only classes that need it are parsed: without {@code coop.preempt}, those whose constant pool
 * names {@code onSpinWait}. A class that cannot be woven (too large once woven, a class file
 * ASM does not know) loads unchanged. The bridge's package is exported to each module whose
 * classes call it. Classes loaded before the agent (under {@code Monkey.patchAll}, the main
 * class) keep their code.
 *
 * <pre>{@code
 * while (!ready) { }          // under coop.preempt=10ms: yields about every 10 ms
 * while (!ready) Thread.onSpinWait();   // always: yields on every turn
 * }</pre>
 */
final class YieldPoints implements ClassFileTransformer {
    private static final String BRIDGE = Bridge.REAL;
    private static final byte[] ON_SPIN_WAIT = "onSpinWait".getBytes(StandardCharsets.US_ASCII);

    /** The preemption interval, or null when {@code coop.preempt} is off. */
    private static volatile Duration preempt;
    /** CoopBridge.YIELD_REQUESTED, in the bridge defined into java.base. */
    private static volatile VarHandle yieldRequested;
    private static final LongAdder PREEMPTIONS = new LongAdder();

    private final Instrumentation inst;
    private final boolean spinWaits;
    private final boolean backEdges;
    private final Set<Module> exportedTo = ConcurrentHashMap.newKeySet();

    private YieldPoints(Instrumentation inst, boolean spinWaits, boolean backEdges) {
        this.inst = inst;
        this.spinWaits = spinWaits;
        this.backEdges = backEdges;
    }

    /**
     * Weaves the classes loaded from now on: onSpinWait calls when {@code spinWaits} (the thread
     * area), back-edges when {@code coop.preempt} is set. Returns the preemption interval or null.
     */
    static Duration install(Instrumentation inst, boolean spinWaits) throws ReflectiveOperationException {
        Duration d = Config.duration("preempt", Duration.ZERO);
        if (d.isNegative()) throw new IllegalArgumentException("coop.preempt must be a positive duration such as 10ms; got " + d);
        Duration every = d.isZero() ? null : d;
        if (every != null) {
            Class<?> bridge = Class.forName(BRIDGE.replace('/', '.'), false, null);
            yieldRequested = MethodHandles.lookup().findStaticVarHandle(bridge, "YIELD_REQUESTED", Thread.class);
        }
        if (spinWaits || every != null) inst.addTransformer(new YieldPoints(inst, spinWaits, every != null), false);
        preempt = every;
        return every;
    }

    /** The preemption interval, or null when off. */
    static Duration interval() {
        return preempt;
    }

    /** How many times a greenlet was preempted at a yield point. */
    static long preemptions() {
        return PREEMPTIONS.sum();
    }

    // ---------------------------------------------------------------- at run time

    /**
     * Called by the monitor for a hub that has not switched for {@code heldNanos}: past the
     * interval, asks the greenlet mounted there to yield at its next yield point.
     */
    static void held(Hub hub, long heldNanos) {
        Duration every = preempt;
        if (every == null || heldNanos < every.toNanos()) return;
        Greenlet<?> mounted = BlockingMonitor.mounted(hub);
        Thread t = mounted == null ? null : mounted.thread();
        if (t != null) yieldRequested.setVolatile(t);
    }

    /** CoopBridge.yieldPoint reached by the greenlet asked to yield: it yields unless it cannot unmount. */
    static void preempt() {
        if (AgentSupport.currentGreenlet() == null) return;
        PREEMPTIONS.increment();
        Thread.yield();
    }

    /** Application code's Thread.onSpinWait: a greenlet yields (true); any other thread spins (false). */
    static boolean spinWait() {
        if (AgentSupport.currentGreenlet() == null) return false;
        Thread.yield(); // a virtual thread's yield goes back to its scheduler: the hub's ready queue
        return true;
    }

    // ---------------------------------------------------------------- at class load

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] buffer) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || className == null) return null; // the JDK
        if (className.startsWith("io/coop/") && ThreadPatch.fromCoopHome(domain)) return null; // coop's own
        boolean spins = spinWaits && mentionsOnSpinWait(buffer);
        if (!spins && !backEdges) return null;
        byte[] woven;
        try {
            woven = rewrite(buffer, spins, backEdges);
        } catch (RuntimeException | LinkageError e) {
            return null; // left as it was: it runs, without yield points
        }
        if (woven != null && module != null && exportedTo.add(module)) {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(module)), Map.of(), Set.of(), Map.of());
        }
        return woven;
    }

    /** The class with its yield points, or null when it has none. */
    static byte[] rewrite(byte[] classFile, boolean spins, boolean backEdges) {
        return rewrite(classFile, spins, backEdges, BRIDGE);
    }

    /** As {@link #rewrite(byte[], boolean, boolean)}, calling {@code bridge} (an internal name) instead of the real bridge. */
    static byte[] rewrite(byte[] classFile, boolean spins, boolean backEdges, String bridge) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                // only asked when a jump grows past 32 KiB and frames must be made anew: loading
                // classes here could deadlock, so such a method is left unwoven
                throw new UnsupportedOperationException("frames would need the class hierarchy");
            }
        };
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    /** Labels already placed: a jump to one of them goes backwards, closing a loop. */
                    private final Set<Label> placed = backEdges ? new HashSet<>() : null;

                    @Override
                    public void visitLabel(Label label) {
                        if (placed != null) placed.add(label);
                        super.visitLabel(label);
                    }

                    @Override
                    public void visitJumpInsn(int opcode, Label label) {
                        if (placed != null && opcode != Opcodes.JSR && placed.contains(label)) {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "yieldPoint", "()V", false);
                            changed[0] = true;
                        }
                        super.visitJumpInsn(opcode, label);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        if (spins && opcode == Opcodes.INVOKESTATIC && name.equals("onSpinWait") && owner.equals("java/lang/Thread")
                                && descriptor.equals("()V")) {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "onSpinWait", "()V", false);
                            changed[0] = true;
                            return;
                        }
                        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    /** How far {@link #contains} may skip on each byte (Horspool): most class bytes skip the whole pattern. */
    private static final int[] SKIP = new int[256];

    static {
        java.util.Arrays.fill(SKIP, ON_SPIN_WAIT.length);
        for (int i = 0; i < ON_SPIN_WAIT.length - 1; i++) SKIP[ON_SPIN_WAIT[i] & 0xff] = ON_SPIN_WAIT.length - 1 - i;
    }

    /** True when "onSpinWait" occurs in {@code bytes} (a class file's constant pool names every method it calls). */
    static boolean mentionsOnSpinWait(byte[] bytes) {
        int m = ON_SPIN_WAIT.length;
        for (int i = 0; i <= bytes.length - m; i += SKIP[bytes[i + m - 1] & 0xff]) {
            int j = m - 1;
            while (bytes[i + j] == ON_SPIN_WAIT[j]) {
                if (j-- == 0) return true;
            }
        }
        return false;
    }
}
