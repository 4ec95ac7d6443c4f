package io.coop.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one change coop makes to a JDK method, done directly on the class file: a prologue
 * {@code Object r = CoopBridge.hook(args); if (r != null) return (unboxed) r;} before the
 * method's own code. It appends the constants it needs to the constant pool, shifts what refers
 * to code offsets (exception table, stack map frames, line and local variable tables) by the
 * prologue's length (a multiple of 4, so switch padding stays valid) and adds one stack map
 * frame. Everything else is copied byte for byte. A method with code attributes it does not know
 * (type annotations on code) is refused, so the JDK is never woven half-understood.
 *
 * <p>It exists instead of a bytecode library because it runs as the JVM starts: a general
 * library costs tens of milliseconds to load and warm up, this costs a few.
 *
 * <pre>{@code
 * byte[] woven = Weaver.weave(classBytes, List.of(new Target("java.lang.VirtualThread", "sleepNanos", "(J)V", "sleep")),
 *         hookDescriptors, done);
 * }</pre>
 */
final class Weaver {
    private final String bridge;
    private final byte[] in;
    private final int[] cpOffsets;
    private final int cpCount;
    private final ByteArrayOutputStream extraPool = new ByteArrayOutputStream();
    private final DataOutputStream extra = new DataOutputStream(extraPool);
    private int nextIndex;
    private final Map<String, Integer> added = new HashMap<>();
    private int thisClass;

    private Weaver(byte[] in, String bridge) {
        this.in = in;
        this.bridge = bridge;
        this.cpCount = u2(8);
        this.cpOffsets = new int[cpCount];
        this.nextIndex = cpCount;
    }

    /**
     * {@code classBytes} with a prologue at the start of each target method found (by name and
     * descriptor); {@code done} gets the targets woven; {@code hookDescriptors} maps each hook
     * name to its CoopBridge descriptor.
     */
    static byte[] weave(byte[] classBytes, List<Target> targets, Map<String, String> hookDescriptors, List<String> done) {
        return weave(classBytes, targets, hookDescriptors, done, Bridge.REAL);
    }

    /** As {@link #weave(byte[], List, Map, List)}, calling the hooks on class {@code bridge} (internal name). */
    static byte[] weave(byte[] classBytes, List<Target> targets, Map<String, String> hookDescriptors, List<String> done, String bridge) {
        try {
            return new Weaver(classBytes, bridge).run(targets, hookDescriptors, done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] run(List<Target> targets, Map<String, String> hookDescriptors, List<String> done) throws IOException {
        int p = 10;
        for (int i = 1; i < cpCount; i++) {
            cpOffsets[i] = p;
            int tag = in[p] & 0xff;
            switch (tag) {
                case 1 -> p += 3 + u2(p + 1);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                case 5, 6 -> {
                    p += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> p += 3;
                case 15 -> p += 4;
                default -> throw new IllegalStateException("unknown constant pool tag " + tag);
            }
        }
        int cpEnd = p;
        thisClass = u2(p + 2);
        p += 6;
        p += 2 + 2 * u2(p);                   // interfaces
        p = skipMembers(p);                   // fields
        int methodsStart = p;
        int methodCount = u2(p);
        p += 2;

        ByteArrayOutputStream methods = new ByteArrayOutputStream(in.length);
        DataOutputStream out = new DataOutputStream(methods);
        out.writeShort(methodCount);
        for (int m = 0; m < methodCount; m++) {
            int start = p;
            int access = u2(p);
            String name = utf8(u2(p + 2));
            String desc = utf8(u2(p + 4));
            int attrs = u2(p + 6);
            p += 8;
            int[] attrStart = new int[attrs];
            for (int a = 0; a < attrs; a++) {
                attrStart[a] = p;
                p += 6 + u4(p + 2);
            }
            Target target = null;
            if ((access & 0x0500) == 0) { // neither abstract nor native
                for (Target t : targets) {
                    if (t.method().equals(name) && t.descriptor().equals(desc)) target = t;
                }
            }
            if (target == null) {
                out.write(in, start, p - start);
                continue;
            }
            String hookDesc = hookDescriptors.get(target.hook());
            if (hookDesc == null) throw new IllegalStateException("CoopBridge has no hook " + target.hook());
            out.write(in, start, 8);
            for (int a = 0; a < attrs; a++) {
                int ap = attrStart[a];
                int len = u4(ap + 2);
                if (utf8(u2(ap)).equals("Code")) {
                    byte[] code = wovenCode(ap + 6, len, (access & 0x0008) != 0, desc, target.hook(), hookDesc);
                    out.writeShort(u2(ap));
                    out.writeInt(code.length);
                    out.write(code);
                } else {
                    out.write(in, ap, 6 + len);
                }
            }
            done.add(target.toString());
        }
        out.flush();

        ByteArrayOutputStream result = new ByteArrayOutputStream(in.length + extraPool.size() + 256);
        DataOutputStream r = new DataOutputStream(result);
        r.write(in, 0, 8);
        r.writeShort(nextIndex);
        r.write(in, 10, cpEnd - 10);
        r.write(extraPool.toByteArray());
        r.write(in, cpEnd, methodsStart - cpEnd);
        r.write(methods.toByteArray());
        r.write(in, p, in.length - p);
        r.flush();
        return result.toByteArray();
    }

    // ---------------------------------------------------------------- the prologue

    private byte[] wovenCode(int p, int length, boolean isStatic, String desc, String hook, String hookDesc) throws IOException {
        int maxStack = u2(p), maxLocals = u2(p + 2), codeLength = u4(p + 4);
        int codeStart = p + 8;
        List<String> args = argumentTypes(desc);
        char ret = desc.charAt(desc.indexOf(')') + 1);
        String retType = desc.substring(desc.indexOf(')') + 1);
        int hookParams = argumentTypes(hookDesc).size();
        boolean passSelf = hookParams == args.size() + 1;
        if (!passSelf && hookParams != args.size()) {
            throw new IllegalStateException("hook " + hook + " takes " + hookParams + " arguments, the method passes " + args.size());
        }

        ByteArrayOutputStream pro = new ByteArrayOutputStream(32);
        DataOutputStream c = new DataOutputStream(pro);
        int slot = isStatic ? 0 : 1;
        int stack = 0;
        if (passSelf) {
            if (isStatic) {
                c.writeByte(0x13); // ldc_w
                c.writeShort(thisClass);
            } else {
                c.writeByte(0x2a); // aload_0
            }
            stack++;
        }
        for (String a : args) {
            int op;
            int size = 1;
            switch (a.charAt(0)) {
                case 'J' -> { op = 0x16; size = 2; }   // lload
                case 'D' -> { op = 0x18; size = 2; }   // dload
                case 'F' -> op = 0x17;                  // fload
                case 'L', '[' -> op = 0x19;             // aload
                default -> op = 0x15;                   // iload
            }
            if (slot <= 255) {
                c.writeByte(op);
                c.writeByte(slot);
            } else {
                c.writeByte(0xc4); // wide
                c.writeByte(op);
                c.writeShort(slot);
            }
            slot += size;
            stack += size;
        }
        c.writeByte(0xb8); // invokestatic
        c.writeShort(methodref(bridge, hook, hookDesc));
        c.writeByte(0x59); // dup
        int ifnullAt = pro.size();
        c.writeByte(0xc6); // ifnull (offset patched below)
        c.writeShort(0);
        switch (ret) {
            case 'V' -> {
                c.writeByte(0x57); // pop
                c.writeByte(0xb1); // return
            }
            case 'Z' -> unbox(c, "java/lang/Boolean", "booleanValue", "()Z", 0xac);
            case 'I' -> unbox(c, "java/lang/Integer", "intValue", "()I", 0xac);
            case 'J' -> unbox(c, "java/lang/Long", "longValue", "()J", 0xad);
            case 'L', '[' -> {
                c.writeByte(0xc0); // checkcast
                c.writeShort(classRef(ret == 'L' ? retType.substring(1, retType.length() - 1) : retType));
                c.writeByte(0xb0); // areturn
            }
            default -> throw new IllegalStateException("unsupported return type " + retType + " for hook " + hook);
        }
        int frameAt = pro.size();
        c.writeByte(0x57); // pop
        while (pro.size() % 4 != 0) c.writeByte(0x00); // nop: keeps the switches' padding valid
        c.flush();
        byte[] prologue = pro.toByteArray();
        int shift = prologue.length;
        int jump = frameAt - ifnullAt;
        prologue[ifnullAt + 1] = (byte) (jump >> 8);
        prologue[ifnullAt + 2] = (byte) jump;

        ByteArrayOutputStream body = new ByteArrayOutputStream(length + shift + 32);
        DataOutputStream o = new DataOutputStream(body);
        o.writeShort(Math.max(maxStack, Math.max(stack, 2)));
        o.writeShort(maxLocals);
        o.writeInt(codeLength + shift);
        o.write(prologue);
        o.write(in, codeStart, codeLength);
        int q = codeStart + codeLength;
        int handlers = u2(q);
        o.writeShort(handlers);
        q += 2;
        for (int h = 0; h < handlers; h++) {
            o.writeShort(u2(q) + shift);
            o.writeShort(u2(q + 2) + shift);
            o.writeShort(u2(q + 4) + shift);
            o.writeShort(u2(q + 6));
            q += 8;
        }
        int attrs = u2(q);
        q += 2;
        boolean hadFrames = false;
        List<byte[]> outAttrs = new ArrayList<>();
        for (int a = 0; a < attrs; a++) {
            int nameIndex = u2(q);
            String name = utf8(nameIndex);
            int len = u4(q + 2);
            int d = q + 6;
            switch (name) {
                case "StackMapTable" -> {
                    hadFrames = true;
                    outAttrs.add(attribute(nameIndex, stackMapTable(d, frameAt, shift)));
                }
                case "LineNumberTable" -> outAttrs.add(attribute(nameIndex, lineNumbers(d, shift)));
                case "LocalVariableTable", "LocalVariableTypeTable" -> outAttrs.add(attribute(nameIndex, localVariables(d, shift)));
                default -> throw new IllegalStateException("a code attribute coop does not know how to shift: " + name);
            }
            q += 6 + len;
        }
        if (!hadFrames) {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            DataOutputStream fo = new DataOutputStream(f);
            fo.writeShort(1);
            writeOwnFrame(fo, frameAt);
            fo.flush();
            outAttrs.add(attribute(utf8Ref("StackMapTable"), f.toByteArray()));
        }
        o.writeShort(outAttrs.size());
        for (byte[] b : outAttrs) o.write(b);
        o.flush();
        return body.toByteArray();
    }

    private void unbox(DataOutputStream c, String box, String method, String desc, int returnOp) throws IOException {
        c.writeByte(0xc0); // checkcast
        c.writeShort(classRef(box));
        c.writeByte(0xb6); // invokevirtual
        c.writeShort(methodref(box, method, desc));
        c.writeByte(returnOp);
    }

    /** The hook's frame at {@code offset}: the entry locals and the hook's result (an Object) on the stack. */
    private void writeOwnFrame(DataOutputStream o, int offset) throws IOException {
        if (offset <= 63) {
            o.writeByte(64 + offset); // same_locals_1_stack_item
        } else {
            o.writeByte(247);         // same_locals_1_stack_item_extended
            o.writeShort(offset);
        }
        o.writeByte(7);               // Object_variable_info
        o.writeShort(classRef("java/lang/Object"));
    }

    private byte[] stackMapTable(int p, int frameAt, int shift) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        int count = u2(p);
        o.writeShort(count + 1);
        writeOwnFrame(o, frameAt);
        p += 2;
        for (int f = 0; f < count; f++) {
            int type = in[p++] & 0xff;
            boolean first = f == 0;
            if (type <= 63) {
                int delta = first ? type + shift - frameAt - 1 : type;
                if (delta <= 63) {
                    o.writeByte(delta);
                } else {
                    o.writeByte(251);
                    o.writeShort(delta);
                }
            } else if (type <= 127) {
                int delta = first ? type - 64 + shift - frameAt - 1 : type - 64;
                if (delta <= 63) {
                    o.writeByte(64 + delta);
                } else {
                    o.writeByte(247);
                    o.writeShort(delta);
                }
                p = copyVerificationType(p, o, shift);
            } else if (type >= 247) {
                int delta = u2(p);
                p += 2;
                o.writeByte(type);
                o.writeShort(first ? delta + shift - frameAt - 1 : delta);
                if (type == 247) {
                    p = copyVerificationType(p, o, shift);
                } else if (type >= 252 && type <= 254) {
                    for (int k = 0; k < type - 251; k++) p = copyVerificationType(p, o, shift);
                } else if (type == 255) {
                    int locals = u2(p);
                    o.writeShort(locals);
                    p += 2;
                    for (int k = 0; k < locals; k++) p = copyVerificationType(p, o, shift);
                    int stack = u2(p);
                    o.writeShort(stack);
                    p += 2;
                    for (int k = 0; k < stack; k++) p = copyVerificationType(p, o, shift);
                }
            } else {
                throw new IllegalStateException("reserved stack map frame type " + type);
            }
        }
        o.flush();
        return b.toByteArray();
    }

    private int copyVerificationType(int p, DataOutputStream o, int shift) throws IOException {
        int tag = in[p] & 0xff;
        o.writeByte(tag);
        if (tag == 7) {
            o.writeShort(u2(p + 1));
            return p + 3;
        }
        if (tag == 8) { // Uninitialized(offset of its `new`)
            o.writeShort(u2(p + 1) + shift);
            return p + 3;
        }
        return p + 1;
    }

    private byte[] lineNumbers(int p, int shift) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        int n = u2(p);
        p += 2;
        // the prologue reports the line the method's code starts on
        int firstLine = n == 0 ? 0 : u2(p + 2);
        for (int k = 0; k < n; k++) if (u2(p + 4 * k) == 0) firstLine = u2(p + 4 * k + 2);
        o.writeShort(n + (n == 0 ? 0 : 1));
        if (n > 0) {
            o.writeShort(0);
            o.writeShort(firstLine);
        }
        for (int k = 0; k < n; k++) {
            o.writeShort(u2(p) + shift);
            o.writeShort(u2(p + 2));
            p += 4;
        }
        o.flush();
        return b.toByteArray();
    }

    private byte[] localVariables(int p, int shift) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        int n = u2(p);
        o.writeShort(n);
        p += 2;
        for (int k = 0; k < n; k++) {
            o.writeShort(u2(p) + shift);
            o.write(in, p + 2, 8);
            p += 10;
        }
        o.flush();
        return b.toByteArray();
    }

    private static byte[] attribute(int nameIndex, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 6);
        DataOutputStream o = new DataOutputStream(b);
        o.writeShort(nameIndex);
        o.writeInt(data.length);
        o.write(data);
        o.flush();
        return b.toByteArray();
    }

    // ---------------------------------------------------------------- the constant pool

    private int utf8Ref(String s) throws IOException {
        Integer i = added.get("U" + s);
        if (i != null) return i;
        extra.writeByte(1);
        extra.writeUTF(s);
        added.put("U" + s, nextIndex);
        return nextIndex++;
    }

    private int classRef(String internalName) throws IOException {
        if (internalName.equals(className(thisClass))) return thisClass;
        Integer i = added.get("C" + internalName);
        if (i != null) return i;
        int name = utf8Ref(internalName);
        extra.writeByte(7);
        extra.writeShort(name);
        added.put("C" + internalName, nextIndex);
        return nextIndex++;
    }

    private int methodref(String owner, String name, String desc) throws IOException {
        String key = "M" + owner + "." + name + desc;
        Integer i = added.get(key);
        if (i != null) return i;
        int cls = classRef(owner);
        int n = utf8Ref(name);
        int d = utf8Ref(desc);
        extra.writeByte(12);
        extra.writeShort(n);
        extra.writeShort(d);
        int nat = nextIndex++;
        extra.writeByte(10);
        extra.writeShort(cls);
        extra.writeShort(nat);
        added.put(key, nextIndex);
        return nextIndex++;
    }

    private String className(int classIndex) throws IOException {
        return utf8(u2(cpOffsets[classIndex] + 1));
    }

    private String utf8(int index) throws IOException {
        int off = cpOffsets[index];
        if ((in[off] & 0xff) != 1) throw new IllegalStateException("constant " + index + " is not UTF-8");
        return new DataInputStream(new ByteArrayInputStream(in, off + 1, 2 + u2(off + 1))).readUTF();
    }

    // ---------------------------------------------------------------- reading

    private int skipMembers(int p) {
        int count = u2(p);
        p += 2;
        for (int m = 0; m < count; m++) {
            int attrs = u2(p + 6);
            p += 8;
            for (int a = 0; a < attrs; a++) p += 6 + u4(p + 2);
        }
        return p;
    }

    private int u2(int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    private int u4(int p) {
        return ((in[p] & 0xff) << 24) | ((in[p + 1] & 0xff) << 16) | ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
    }

    /** The argument types of a method descriptor, each as a descriptor. */
    static List<String> argumentTypes(String desc) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (desc.charAt(i) != ')') {
            int start = i;
            while (desc.charAt(i) == '[') i++;
            if (desc.charAt(i) == 'L') i = desc.indexOf(';', i);
            i++;
            out.add(desc.substring(start, i));
        }
        return out;
    }

    /** The JVM descriptor of {@code c}. */
    static String descriptor(Class<?> c) {
        if (c.isArray()) return "[" + descriptor(c.getComponentType());
        if (!c.isPrimitive()) return "L" + c.getName().replace('.', '/') + ";";
        if (c == void.class) return "V";
        if (c == boolean.class) return "Z";
        if (c == byte.class) return "B";
        if (c == char.class) return "C";
        if (c == short.class) return "S";
        if (c == int.class) return "I";
        if (c == long.class) return "J";
        if (c == float.class) return "F";
        return "D";
    }

    /** The JVM descriptor of {@code m}. */
    static String descriptor(java.lang.reflect.Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) sb.append(descriptor(p));
        return sb.append(')').append(descriptor(m.getReturnType())).toString();
    }
}
