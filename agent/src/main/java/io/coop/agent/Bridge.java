package io.coop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The bootstrap bridge: {@code io.coop.agent.bridge.CoopHooks} and {@code CoopBridge} renamed to
 * {@code jdk.internal.misc.CoopHooks} / {@code CoopBridge} and defined straight into
 * {@code java.base} with a private lookup (no bootstrap class path, so class-data sharing stays
 * on and the VM prints nothing), then {@link HooksImpl} defined with the same renaming, whose
 * static initializer sets {@code CoopBridge.HOOKS}. Patched JDK methods call the bridge by its
 * real name (see {@link Patcher}). The packages involved must be open to coop (the agent does
 * it with {@code Instrumentation.redefineModule}).
 *
 * <pre>{@code
 * Bridge.install();     // after this, a woven JDK method reaches coop's hooks
 * }</pre>
 */
public final class Bridge {
    static final String STUB_PREFIX = "io/coop/agent/bridge/Coop";
    static final String REAL_PREFIX = "jdk/internal/misc/Coop";
    static final String REAL = "jdk/internal/misc/CoopBridge";
    private static final String HOOKS_IMPL = "io/coop/agent/HooksImpl";

    private static Class<?> hooksImpl;

    private Bridge() {
    }

    /** Defines the bridge into java.base (once) and connects coop's hooks to it. */
    public static synchronized void install() throws ReflectiveOperationException, IOException {
        if (hooksImpl != null) return;
        Class<?> anchor = Class.forName("jdk.internal.misc.VM");
        MethodHandles.Lookup base = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
        byte[][] classes = readClasses(STUB_PREFIX + "Hooks", STUB_PREFIX + "Bridge", HOOKS_IMPL);
        CoopAgent.trace("bridge classes read");
        try {
            Class.forName("jdk.internal.misc.CoopBridge", false, null);
        } catch (ClassNotFoundException e) {
            base.defineClass(remap(classes[0]));
            base.defineClass(remap(classes[1]));
        }
        CoopAgent.trace("bridge defined");
        Class<?> impl = MethodHandles.lookup().defineClass(remap(classes[2]));
        MethodHandles.lookup().ensureInitialized(impl);
        hooksImpl = impl;
    }

    /** The class files of {@code internalNames}, read from coop.jar (or coop's class folder). */
    static byte[][] readClasses(String... internalNames) throws IOException {
        Path where;
        try {
            java.net.URL url = Bridge.class.getProtectionDomain().getCodeSource().getLocation();
            CoopAgent.trace("code source");
            where = Path.of(url.toURI());
            CoopAgent.trace("path");
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where coop's classes are", e);
        }
        byte[][] out = new byte[internalNames.length][];
        if (Files.isDirectory(where)) {
            for (int i = 0; i < internalNames.length; i++) out[i] = Files.readAllBytes(where.resolve(internalNames[i] + ".class"));
            return out;
        }
        try (JarFile jar = new JarFile(where.toFile(), false)) {
            CoopAgent.trace("jar opened");
            for (int i = 0; i < internalNames.length; i++) {
                ZipEntry e = jar.getEntry(internalNames[i] + ".class");
                if (e == null) throw new IOException(where + " has no " + internalNames[i]);
                try (InputStream in = jar.getInputStream(e)) {
                    out[i] = in.readAllBytes();
                }
            }
        }
        return out;
    }

    /** {@code classBytes} with the bridge stubs' names changed to the real ones (see {@link Weaver#rename}). */
    static byte[] remap(byte[] classBytes) {
        return Weaver.rename(classBytes, STUB_PREFIX, REAL_PREFIX);
    }
}
