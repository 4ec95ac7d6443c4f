package io.coop.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The agent's one change to application classes (not the JDK's, not coop's), made as each class
 * loads, with ASM:
 * <ul>
 * <li>calls of the JDK methods the chosen areas {@linkplain Patch#redirects() redirect} go to the
 *     bridge method of the same name and descriptor;</li>
 * <li>under {@code coop.preempt}, a call to {@code CoopBridge.yieldPoint()} before every backward
 *     jump (each loop's back-edge): see {@link YieldPoints}.</li>
 * </ul>
 * Only classes that need it are parsed: without {@code coop.preempt}, those whose bytes mention a
 * redirected method's name (a class file's constant pool names every method it calls). A class
 * that cannot be rewritten (too large once rewritten, a class file ASM does not know) loads
 * unchanged. The bridge's package is exported to each module whose classes now call it. Classes
 * loaded before the agent (under {@code Monkey.patchAll}, the class that calls it) keep their code.
 *
 * <pre>{@code
 * AppClassRewriter.install(inst, List.of(new Redirect("java/lang/Thread", "onSpinWait", "()V")), false);
 * }</pre>
 */
final class AppClassRewriter implements ClassFileTransformer {
    private static final String BRIDGE = Bridge.REAL;
    /** The CoopBridge method woven before each back-edge under coop.preempt: called by coop itself, no target or redirect names it. */
    static final String YIELD_POINT = "yieldPoint";

    private final Instrumentation inst;
    private final List<Redirect> redirects;
    private final List<Word> names = new ArrayList<>();
    private final boolean backEdges;
    private final Set<Module> exportedTo = ConcurrentHashMap.newKeySet();

    AppClassRewriter(Instrumentation inst, List<Redirect> redirects, boolean backEdges) {
        this.inst = inst;
        this.redirects = List.copyOf(redirects);
        this.backEdges = backEdges;
        for (Redirect r : redirects) names.add(new Word(r.method()));
    }

    /** Rewrites the application classes loaded from now on, if there is anything to rewrite. */
    static void install(Instrumentation inst, List<Redirect> redirects, boolean backEdges) {
        if (!redirects.isEmpty() || backEdges) inst.addTransformer(new AppClassRewriter(inst, redirects, backEdges), false);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] buffer) {
        return isApplicationClass(loader, className, domain) ? rewriteMentioned(module, buffer) : null;
    }

    /** Not the JDK's (boot or platform loader) and not coop's own (io.coop classes from where coop was loaded). */
    static boolean isApplicationClass(ClassLoader loader, String className, ProtectionDomain domain) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || className == null) return false;
        return !(className.startsWith("io/coop/") && ThreadPatch.fromCoopHome(domain));
    }

    /**
     * {@code buffer} with the calls of the redirects it mentions (and the back-edges, if asked)
     * rewritten, or null when nothing in it changes or it cannot be rewritten (it then runs as
     * it is). The class's module is let into {@code jdk.internal.misc}, where the bridge is.
     */
    byte[] rewriteMentioned(Module module, byte[] buffer) {
        List<Redirect> mentioned = new ArrayList<>(redirects.size());
        for (int i = 0; i < redirects.size(); i++) if (names.get(i).in(buffer)) mentioned.add(redirects.get(i));
        if (mentioned.isEmpty() && !backEdges) return null;
        byte[] rewritten;
        try {
            rewritten = rewrite(buffer, mentioned, backEdges, BRIDGE);
        } catch (RuntimeException | LinkageError e) {
            return null; // left as it was: it runs as without coop
        }
        Module base = Object.class.getModule();
        if (rewritten != null && module != null && module != base && exportedTo.add(module)) {
            inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(module)), Map.of(), Set.of(), Map.of());
        }
        return rewritten;
    }

    /** The class rewritten to call {@code bridge} (an internal name), or null when nothing in it changes. */
    static byte[] rewrite(byte[] classFile, List<Redirect> redirects, boolean backEdges, String bridge) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                // only asked when a jump grows past 32 KiB and frames must be made anew: loading
                // classes here could deadlock, so such a method is left as it was
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
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, YIELD_POINT, "()V", false);
                            changed[0] = true;
                        }
                        super.visitJumpInsn(opcode, label);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        if (opcode == Opcodes.INVOKESTATIC) {
                            for (Redirect r : redirects) {
                                if (r.method().equals(name) && r.owner().equals(owner) && r.descriptor().equals(descriptor)) {
                                    super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, name, descriptor, false);
                                    changed[0] = true;
                                    return;
                                }
                            }
                        }
                        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    /** A word to find in class bytes (Horspool: most bytes let the search skip the whole word). */
    static final class Word {
        private final byte[] word;
        private final int[] skip = new int[256];

        Word(String text) {
            word = text.getBytes(StandardCharsets.US_ASCII);
            java.util.Arrays.fill(skip, word.length);
            for (int i = 0; i < word.length - 1; i++) skip[word[i] & 0xff] = word.length - 1 - i;
        }

        /** True when the word occurs in {@code bytes}. */
        boolean in(byte[] bytes) {
            int m = word.length;
            for (int i = 0; i <= bytes.length - m; i += skip[bytes[i + m - 1] & 0xff]) {
                int j = m - 1;
                while (bytes[i + j] == word[j]) {
                    if (j-- == 0) return true;
                }
            }
            return false;
        }
    }
}
