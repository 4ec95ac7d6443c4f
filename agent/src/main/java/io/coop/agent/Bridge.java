package io.coop.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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

    /**
     * {@code classBytes} with the bridge stubs' names changed to the real ones: the constant
     * pool's UTF-8 entries are rewritten, nothing else changes (no bytecode library is loaded
     * for it, which keeps start-up short).
     */
    static byte[] remap(byte[] classBytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classBytes));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(classBytes.length + 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(in.readInt());      // magic
            out.writeInt(in.readInt());      // minor, major
            int count = in.readUnsignedShort();
            out.writeShort(count);
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                out.writeByte(tag);
                switch (tag) {
                    case 1 -> {
                        String s = in.readUTF();
                        out.writeUTF(s.indexOf(STUB_PREFIX) >= 0 ? s.replace(STUB_PREFIX, REAL_PREFIX) : s);
                    }
                    case 3, 4 -> out.writeInt(in.readInt());
                    case 5, 6 -> {
                        out.writeLong(in.readLong());
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> out.writeShort(in.readUnsignedShort());
                    case 9, 10, 11, 12, 17, 18 -> out.writeInt(in.readInt());
                    case 15 -> {
                        out.writeByte(in.readUnsignedByte());
                        out.writeShort(in.readUnsignedShort());
                    }
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag);
                }
            }
            in.transferTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a bridge class file", e);
        }
    }
}
