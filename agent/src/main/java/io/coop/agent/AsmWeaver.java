package io.coop.agent;

import java.util.List;
import java.util.Map;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Prototype for the measurement: the prologue woven with ASM (shaded into coop.jar). Methods
 * that are not targets are copied as they are (ASM copies their bytes); the target's own stack
 * map frames are kept (the prologue adds one frame with the entry locals, so the compressed
 * frames that follow stay valid).
 */
final class AsmWeaver implements ClassWeaver {
    @Override
    public byte[] weave(byte[] classBytes, List<Target> targets, Map<String, String> hookDescriptors, List<String> done, String bridge) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        String owner = reader.getClassName();
        int[] version = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int v, int access, String name, String signature, String superName, String[] interfaces) {
                version[0] = v & 0xffff;
                super.visit(v, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return mv;
                for (Target t : targets) {
                    if (t.method().equals(name) && t.descriptor().equals(descriptor)) {
                        String hookDesc = hookDescriptors.get(t.hook());
                        if (hookDesc == null) throw new IllegalStateException("CoopBridge has no hook " + t.hook());
                        done.add(t.toString());
                        return new Prologue(mv, owner, access, descriptor, bridge, t.hook(), hookDesc, version[0] >= Opcodes.V1_6);
                    }
                }
                return mv;
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Emits {@code Object r = CoopBridge.hook(...); if (r != null) return (unboxed) r;} before the method's code. */
    private static final class Prologue extends MethodVisitor {
        private final String owner;
        private final int access;
        private final String descriptor;
        private final String bridge;
        private final String hook;
        private final String hookDesc;
        private final boolean frames;
        private int pushed;

        Prologue(MethodVisitor mv, String owner, int access, String descriptor, String bridge, String hook, String hookDesc, boolean frames) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.access = access;
            this.descriptor = descriptor;
            this.bridge = bridge;
            this.hook = hook;
            this.hookDesc = hookDesc;
            this.frames = frames;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            Type[] args = Type.getArgumentTypes(descriptor);
            int hookParams = Type.getArgumentCount(hookDesc);
            boolean passSelf = hookParams == args.length + 1;
            if (!passSelf && hookParams != args.length) {
                throw new IllegalStateException("hook " + hook + " takes " + hookParams + " arguments, the method passes " + args.length);
            }
            int slot = isStatic ? 0 : 1;
            int stack = 0;
            if (passSelf) {
                if (isStatic) mv.visitLdcInsn(Type.getObjectType(owner));
                else mv.visitVarInsn(Opcodes.ALOAD, 0);
                stack++;
            }
            for (Type a : args) {
                mv.visitVarInsn(a.getOpcode(Opcodes.ILOAD), slot);
                slot += a.getSize();
                stack += a.getSize();
            }
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, hook, hookDesc, false);
            mv.visitInsn(Opcodes.DUP);
            Label own = new Label();
            mv.visitJumpInsn(Opcodes.IFNULL, own);
            Type ret = Type.getReturnType(descriptor);
            switch (ret.getSort()) {
                case Type.VOID -> {
                    mv.visitInsn(Opcodes.POP);
                    mv.visitInsn(Opcodes.RETURN);
                }
                case Type.BOOLEAN -> unbox("java/lang/Boolean", "booleanValue", "()Z", Opcodes.IRETURN);
                case Type.INT -> unbox("java/lang/Integer", "intValue", "()I", Opcodes.IRETURN);
                case Type.LONG -> unbox("java/lang/Long", "longValue", "()J", Opcodes.LRETURN);
                case Type.OBJECT, Type.ARRAY -> {
                    mv.visitTypeInsn(Opcodes.CHECKCAST, ret.getInternalName());
                    mv.visitInsn(Opcodes.ARETURN);
                }
                default -> throw new IllegalStateException("unsupported return type " + ret + " for hook " + hook);
            }
            mv.visitLabel(own);
            // the entry locals and the hook's result on the stack; the method's own frames that
            // follow are relative to the same locals, so they stay valid
            if (frames) mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
            mv.visitInsn(Opcodes.POP);
            pushed = Math.max(stack, 2);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, pushed), maxLocals);
        }

        private void unbox(String box, String method, String desc, int returnOp) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, box);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, method, desc, false);
            mv.visitInsn(returnOp);
        }
    }
}
