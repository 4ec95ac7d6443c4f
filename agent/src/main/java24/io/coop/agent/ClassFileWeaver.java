package io.coop.agent;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodBuilder;
import java.lang.classfile.MethodElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.LineNumberInfo;
import java.lang.classfile.attribute.LineNumberTableAttribute;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.ObjectVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.SimpleVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.classfile.attribute.UnknownAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prototype for the measurement: the prologue woven with the JDK's own {@code java.lang.classfile}
 * (JDK 24+). Methods that are not targets are copied as they are; the target's own stack map
 * frames are kept (read, then written again with the prologue's frame first), so no class
 * hierarchy is ever asked for.
 */
final class ClassFileWeaver implements ClassWeaver {
    private static final ClassFile CF = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);

    @Override
    public byte[] weave(byte[] classBytes, List<Target> targets, Map<String, String> hookDescriptors, List<String> done, String bridge) {
        ClassModel model = CF.parse(classBytes);
        ClassDesc bridgeClass = ClassDesc.ofInternalName(bridge);
        boolean frames = model.majorVersion() >= ClassFile.JAVA_6_VERSION;
        return CF.transformClass(model, new ClassTransform() {
            @Override
            public void accept(ClassBuilder cb, ClassElement ce) {
                if (ce instanceof MethodModel m && m.code().isPresent()) {
                    for (Target t : targets) {
                        if (t.method().equals(m.methodName().stringValue()) && t.descriptor().equals(m.methodType().stringValue())) {
                            String hookDesc = hookDescriptors.get(t.hook());
                            if (hookDesc == null) throw new IllegalStateException("CoopBridge has no hook " + t.hook());
                            Prologue p = new Prologue(model, m, bridgeClass, t.hook(), MethodTypeDesc.ofDescriptor(hookDesc), frames);
                            cb.transformMethod(m, new MethodTransform() {
                                @Override
                                public void accept(MethodBuilder mb, MethodElement me) {
                                    if (me instanceof CodeModel code) mb.transformCode(code, p);
                                    else mb.with(me);
                                }
                            });
                            done.add(t.toString());
                            return;
                        }
                    }
                }
                cb.with(ce);
            }
        });
    }

    /** Emits {@code Object r = CoopBridge.hook(...); if (r != null) return (unboxed) r;} before the method's code. */
    private static final class Prologue implements CodeTransform {
        private final ClassModel owner;
        private final MethodModel method;
        private final CodeModel code;
        private final ClassDesc bridge;
        private final String hook;
        private final MethodTypeDesc hookType;
        private final boolean frames;
        private Label own;

        Prologue(ClassModel owner, MethodModel method, ClassDesc bridge, String hook, MethodTypeDesc hookType, boolean frames) {
            this.owner = owner;
            this.method = method;
            this.code = method.code().orElseThrow();
            this.bridge = bridge;
            this.hook = hook;
            this.hookType = hookType;
            this.frames = frames;
        }

        @Override
        public void atStart(CodeBuilder cb) {
            MethodTypeDesc type = method.methodTypeSymbol();
            boolean isStatic = method.flags().has(AccessFlag.STATIC);
            int args = type.parameterCount();
            boolean passSelf = hookType.parameterCount() == args + 1;
            if (!passSelf && hookType.parameterCount() != args) {
                throw new IllegalStateException("hook " + hook + " takes " + hookType.parameterCount() + " arguments, the method passes " + args);
            }
            Optional<LineNumberTableAttribute> lines = code.findAttribute(Attributes.lineNumberTable());
            if (lines.isPresent()) {
                for (LineNumberInfo l : lines.get().lineNumbers()) {
                    if (l.startPc() == 0) {
                        cb.lineNumber(l.lineNumber());
                        break;
                    }
                }
            }
            if (passSelf) {
                if (isStatic) cb.ldc(owner.thisClass());
                else cb.aload(0);
            }
            for (int i = 0; i < args; i++) cb.loadLocal(TypeKind.from(type.parameterType(i)), cb.parameterSlot(i));
            cb.invokestatic(bridge, hook, hookType);
            cb.dup();
            own = cb.newLabel();
            cb.ifnull(own);
            ClassDesc ret = type.returnType();
            switch (ret.descriptorString().charAt(0)) {
                case 'V' -> {
                    cb.pop();
                    cb.return_();
                }
                case 'Z' -> unbox(cb, ConstantDescs.CD_Boolean, "booleanValue", ConstantDescs.CD_boolean, TypeKind.BOOLEAN);
                case 'I' -> unbox(cb, ConstantDescs.CD_Integer, "intValue", ConstantDescs.CD_int, TypeKind.INT);
                case 'J' -> unbox(cb, ConstantDescs.CD_Long, "longValue", ConstantDescs.CD_long, TypeKind.LONG);
                case 'L', '[' -> {
                    cb.checkcast(ret);
                    cb.areturn();
                }
                default -> throw new IllegalStateException("unsupported return type " + ret.descriptorString() + " for hook " + hook);
            }
            cb.labelBinding(own);
            cb.pop();
        }

        private static void unbox(CodeBuilder cb, ClassDesc box, String method, ClassDesc prim, TypeKind kind) {
            cb.checkcast(box);
            cb.invokevirtual(box, method, MethodTypeDesc.of(prim));
            cb.return_(kind);
        }

        @Override
        public void accept(CodeBuilder cb, CodeElement e) {
            if (e instanceof java.lang.classfile.Attribute<?> a && (a instanceof UnknownAttribute || a instanceof java.lang.classfile.CustomAttribute<?>)) {
                throw new IllegalStateException("a code attribute coop does not know: " + a.attributeName().stringValue());
            }
            cb.with(e);
        }

        @Override
        public void atEnd(CodeBuilder cb) {
            if (!frames) return;
            List<StackMapFrameInfo> all = new ArrayList<>();
            all.add(StackMapFrameInfo.of(own, entryLocals(), List.of(ObjectVerificationTypeInfo.of(ConstantDescs.CD_Object))));
            Optional<StackMapTableAttribute> table = code.findAttribute(Attributes.stackMapTable());
            if (table.isPresent()) all.addAll(table.get().entries());
            cb.with(StackMapTableAttribute.of(all));
        }

        /** The locals at the method's entry, as its first stack map frame implicitly has them. */
        private List<VerificationTypeInfo> entryLocals() {
            MethodTypeDesc type = method.methodTypeSymbol();
            List<VerificationTypeInfo> locals = new ArrayList<>(type.parameterCount() + 1);
            if (!method.flags().has(AccessFlag.STATIC)) locals.add(ObjectVerificationTypeInfo.of(owner.thisClass()));
            for (int i = 0; i < type.parameterCount(); i++) {
                locals.add(switch (type.parameterType(i).descriptorString().charAt(0)) {
                    case 'J' -> SimpleVerificationTypeInfo.LONG;
                    case 'D' -> SimpleVerificationTypeInfo.DOUBLE;
                    case 'F' -> SimpleVerificationTypeInfo.FLOAT;
                    case 'L', '[' -> ObjectVerificationTypeInfo.of(type.parameterType(i));
                    default -> SimpleVerificationTypeInfo.INTEGER;
                });
            }
            return locals;
        }
    }
}
