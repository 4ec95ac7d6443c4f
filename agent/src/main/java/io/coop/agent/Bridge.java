package io.coop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayInputStream;

/**
 * The bootstrap bridge: {@code io.coop.agent.bridge.CoopBridge} renamed to
 * {@code jdk.internal.misc.CoopBridge} and defined straight into {@code java.base} with a private
 * lookup (no bootstrap class path, so class-data sharing stays on and the VM prints nothing).
 * Patched JDK methods call it by its real name (see {@link Patcher}).
 *
 * <pre>{@code
 * Bridge bridge = Bridge.define();              // java.base must be open to coop (the agent does it)
 * bridge.set("SLEEP", Bridge.hook(TimePatch.class, "sleep", long.class));
 * }</pre>
 */
public final class Bridge {
    static final String STUB = "io/coop/agent/bridge/CoopBridge";
    static final String REAL = "jdk/internal/misc/CoopBridge";

    private final Class<?> type;
    private final MethodHandles.Lookup lookup;

    private Bridge(Class<?> type, MethodHandles.Lookup lookup) {
        this.type = type;
        this.lookup = lookup;
    }

    /** Defines the bridge into java.base, or finds the one defined before (by an earlier install). */
    public static Bridge define() throws ReflectiveOperationException {
        Class<?> anchor = Class.forName("jdk.internal.misc.VM");
        MethodHandles.Lookup base = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
        Class<?> type;
        try {
            type = Class.forName(REAL.replace('/', '.'), false, null);
        } catch (ClassNotFoundException e) {
            type = base.defineClass(remap(stubBytes()));
        }
        return new Bridge(type, MethodHandles.privateLookupIn(type, MethodHandles.lookup()));
    }

    /** Points bridge field {@code name} (e.g. {@code SLEEP}) at {@code hook}; null detaches it. */
    public void set(String name, MethodHandle hook) throws ReflectiveOperationException {
        lookup.findStaticVarHandle(type, name, MethodHandle.class).setVolatile(hook);
    }

    /** The current hook of bridge field {@code name}. */
    public MethodHandle get(String name) throws ReflectiveOperationException {
        return (MethodHandle) lookup.findStaticVarHandle(type, name, MethodHandle.class).getVolatile();
    }

    /** A static method of {@code owner} returning Object (null: not handled) as a hook. */
    public static MethodHandle hook(Class<?> owner, String name, Class<?>... params) throws ReflectiveOperationException {
        return MethodHandles.lookup().findStatic(owner, name, MethodType.methodType(Object.class, params));
    }

    /**
     * {@code classBytes} with the class renamed from the stub to the real bridge: the constant
     * pool's UTF-8 entries naming the stub are rewritten, nothing else changes (no bytecode
     * library is loaded for it, which keeps start-up short).
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
                        out.writeUTF(s.replace(STUB, REAL));
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
            throw new IllegalStateException("cannot read the bridge's class file", e);
        }
    }

    /** The class file of {@code type} as coop.jar holds it. */
    static byte[] classBytes(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("coop.jar has no " + resource);
            return in.readAllBytes();
        }
    }

    private static byte[] stubBytes() {
        try (InputStream in = Bridge.class.getClassLoader().getResourceAsStream(STUB + ".class")) {
            if (in == null) throw new IllegalStateException("coop.jar has no " + STUB + ".class");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bridge from coop.jar", e);
        }
    }
}
