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
import java.lang.classfile.FieldBuilder;
import java.lang.classfile.FieldElement;
import java.lang.classfile.FieldModel;
import java.lang.classfile.Interfaces;
import java.lang.classfile.Label;
import java.lang.classfile.MethodBuilder;
import java.lang.classfile.MethodElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Superclass;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.ExceptionsAttribute;
import java.lang.classfile.attribute.LineNumberInfo;
import java.lang.classfile.attribute.LineNumberTableAttribute;
import java.lang.classfile.attribute.SignatureAttribute;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.ObjectVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.SimpleVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.classfile.attribute.UnknownAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.ConstantPoolBuilder;
import java.lang.classfile.constantpool.NameAndTypeEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LocalVariable;
import java.lang.classfile.instruction.LocalVariableType;
import java.lang.classfile.instruction.NewMultiArrayInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.NewReferenceArrayInstruction;
import java.lang.classfile.instruction.TypeCheckInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * coop's class-file changes, made with the JDK's own class-file API ({@code java.lang.classfile},
 * JDK 24+), which always reads the class files of the JDK it runs on: the ones woven.
 * <ul>
 * <li>{@link #weave}: the one change coop makes to a JDK method, a prologue
 *     {@code Object r = CoopBridge.hook(args); if (r != null) return (unboxed) r;} before the
 *     method's own code. Methods that are not targets are copied as they are.</li>
 * <li>{@link #rename}: the bridge classes with their stub names changed to the real ones.</li>
 * </ul>
 * Stack maps are never computed (that would ask for the class hierarchy, loading classes while
 * the JDK's core classes are retransformed): a rewritten method gets its own frames back, and the
 * prologue adds one with the entry locals. A method whose code carries an attribute the API does
 * not know (so cannot keep in step with the code) is refused: the JDK is never woven
 * half-understood.
 *
 * <p>This class is compiled for release 24 (its own source root); the agent refuses older JDKs
 * before anything loads it.
 *
 * <pre>{@code
 * byte[] woven = Weaver.weave(classBytes, List.of(new Target("java.lang.VirtualThread", "sleepNanos", "(J)V", "sleep")),
 *         hookDescriptors, done);
 * }</pre>
 */
final class Weaver {
    private static final ClassFile SAME_POOL = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);
    private static final ClassFile NEW_POOL = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS,
            ClassFile.ConstantPoolSharingOption.NEW_POOL);

    private Weaver() {
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
        ClassModel model = SAME_POOL.parse(classBytes);
        ClassDesc bridgeClass = ClassDesc.ofInternalName(bridge);
        return SAME_POOL.transformClass(model, new ClassTransform() {
            @Override
            public void accept(ClassBuilder cb, ClassElement e) {
                Target t = e instanceof MethodModel m ? targetOf(m, targets) : null;
                if (t == null) {
                    cb.with(e);
                    return;
                }
                String hookDesc = hookDescriptors.get(t.hook());
                if (hookDesc == null) throw new IllegalStateException("CoopBridge has no hook " + t.hook());
                MethodModel m = (MethodModel) e;
                cb.transformMethod(m, code(new Prologue(model, m, bridgeClass, t.hook(), MethodTypeDesc.ofDescriptor(hookDesc))));
                done.add(t.toString());
            }
        });
    }

    private static Target targetOf(MethodModel m, List<Target> targets) {
        if (m.code().isEmpty()) return null; // abstract or native
        for (Target t : targets) {
            if (m.methodName().equalsString(t.method()) && m.methodType().equalsString(t.descriptor())) return t;
        }
        return null;
    }

    /** A method transform that rewrites only the code, with {@code t}. */
    private static MethodTransform code(CodeTransform t) {
        return new MethodTransform() {
            @Override
            public void accept(MethodBuilder mb, MethodElement e) {
                if (e instanceof CodeModel c) mb.transformCode(c, t);
                else mb.with(e);
            }
        };
    }

    /**
     * A code transform that writes the method's stack map frames back at the end (through
     * {@link #frame}), after its own {@link #extraFrames}, and refuses code attributes it cannot
     * keep in step.
     */
    private abstract static class KeepsFrames implements CodeTransform {
        final CodeModel code;
        final boolean frames;

        KeepsFrames(CodeModel code, int classMajorVersion) {
            this.code = code;
            this.frames = classMajorVersion >= ClassFile.JAVA_6_VERSION;
        }

        @Override
        public void accept(CodeBuilder cb, CodeElement e) {
            if (e instanceof java.lang.classfile.Attribute<?> a && (a instanceof UnknownAttribute || a instanceof java.lang.classfile.CustomAttribute<?>)) {
                throw new IllegalStateException("a code attribute coop does not know how to keep: " + a.attributeName().stringValue());
            }
            cb.with(e);
        }

        List<StackMapFrameInfo> extraFrames(CodeBuilder cb) {
            return List.of();
        }

        StackMapFrameInfo frame(ConstantPoolBuilder cp, StackMapFrameInfo f) {
            return f;
        }

        @Override
        public void atEnd(CodeBuilder cb) {
            if (!frames) return;
            List<StackMapFrameInfo> all = new ArrayList<>(extraFrames(cb));
            Optional<StackMapTableAttribute> table = code.findAttribute(Attributes.stackMapTable());
            if (table.isPresent()) {
                for (StackMapFrameInfo f : table.get().entries()) all.add(frame(cb.constantPool(), f));
            }
            if (!all.isEmpty()) cb.with(StackMapTableAttribute.of(all));
        }
    }

    // ---------------------------------------------------------------- the prologue

    /** Emits {@code Object r = CoopBridge.hook(...); if (r != null) return (unboxed) r;} before the method's code. */
    private static final class Prologue extends KeepsFrames {
        private final ClassModel owner;
        private final MethodModel method;
        private final ClassDesc bridge;
        private final String hook;
        private final MethodTypeDesc hookType;
        private Label own;

        Prologue(ClassModel owner, MethodModel method, ClassDesc bridge, String hook, MethodTypeDesc hookType) {
            super(method.code().orElseThrow(), owner.majorVersion());
            this.owner = owner;
            this.method = method;
            this.bridge = bridge;
            this.hook = hook;
            this.hookType = hookType;
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
            // the prologue reports the line the method's code starts on
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

        private static void unbox(CodeBuilder cb, ClassDesc box, String method, ClassDesc primitive, TypeKind kind) {
            cb.checkcast(box);
            cb.invokevirtual(box, method, MethodTypeDesc.of(primitive));
            cb.return_(kind);
        }

        /** The hook's frame where its result is null: the entry locals, and that result on the stack. */
        @Override
        List<StackMapFrameInfo> extraFrames(CodeBuilder cb) {
            MethodTypeDesc type = method.methodTypeSymbol();
            List<VerificationTypeInfo> locals = new ArrayList<>(type.parameterCount() + 1);
            if (!method.flags().has(AccessFlag.STATIC)) locals.add(ObjectVerificationTypeInfo.of(owner.thisClass()));
            for (int i = 0; i < type.parameterCount(); i++) {
                ClassDesc p = type.parameterType(i);
                locals.add(switch (p.descriptorString().charAt(0)) {
                    case 'J' -> SimpleVerificationTypeInfo.LONG;
                    case 'D' -> SimpleVerificationTypeInfo.DOUBLE;
                    case 'F' -> SimpleVerificationTypeInfo.FLOAT;
                    case 'L', '[' -> ObjectVerificationTypeInfo.of(p);
                    default -> SimpleVerificationTypeInfo.INTEGER;
                });
            }
            return List.of(StackMapFrameInfo.of(own, locals, List.of(ObjectVerificationTypeInfo.of(ConstantDescs.CD_Object))));
        }
    }

    // ---------------------------------------------------------------- renaming

    /**
     * {@code classBytes} with every class name containing {@code from} (an internal-name
     * fragment) changed to contain {@code to} instead: its own name, its supertypes, fields,
     * methods, the code's references, local variables and stack map frames. A name anywhere else
     * (an annotation, a bootstrap argument) is refused rather than left behind.
     */
    static byte[] rename(byte[] classBytes, String from, String to) {
        ClassModel model = NEW_POOL.parse(classBytes);
        Renamer r = new Renamer(from, to, model.majorVersion());
        byte[] out = NEW_POOL.transformClass(model, ClassDesc.ofInternalName(r.name(model.thisClass().asInternalName())), r);
        // the new constant pool holds only what the class refers to: the old name must be gone from it
        if (new String(out, StandardCharsets.ISO_8859_1).contains(from)) {
            throw new IllegalStateException("renaming " + model.thisClass().asInternalName() + " left " + from
                    + " behind (where no class name is expected: a string, an annotation, a bootstrap argument)");
        }
        return out;
    }

    private static final class Renamer implements ClassTransform {
        private final String from;
        private final String to;
        private final int version;

        Renamer(String from, String to, int version) {
            this.from = from;
            this.to = to;
            this.version = version;
        }

        String name(String s) {
            return s.contains(from) ? s.replace(from, to) : s;
        }

        Utf8Entry utf8(ConstantPoolBuilder cp, Utf8Entry u) {
            String s = u.stringValue();
            return s.contains(from) ? cp.utf8Entry(s.replace(from, to)) : u;
        }

        ClassEntry type(ConstantPoolBuilder cp, ClassEntry c) {
            String s = c.asInternalName();
            return s.contains(from) ? cp.classEntry(cp.utf8Entry(s.replace(from, to))) : c;
        }

        NameAndTypeEntry member(ConstantPoolBuilder cp, NameAndTypeEntry nt) {
            return cp.nameAndTypeEntry(nt.name(), utf8(cp, nt.type()));
        }

        SignatureAttribute signature(ConstantPoolBuilder cp, SignatureAttribute s) {
            return SignatureAttribute.of(utf8(cp, s.signature()));
        }

        @Override
        public void accept(ClassBuilder cb, ClassElement e) {
            ConstantPoolBuilder cp = cb.constantPool();
            if (e instanceof Superclass s) {
                cb.withSuperclass(type(cp, s.superclassEntry()));
            } else if (e instanceof Interfaces is) {
                List<ClassEntry> renamed = new ArrayList<>();
                for (ClassEntry c : is.interfaces()) renamed.add(type(cp, c));
                cb.withInterfaces(renamed);
            } else if (e instanceof FieldModel f) {
                cb.withField(f.fieldName(), utf8(cp, f.fieldType()), new Consumer<FieldBuilder>() {
                    @Override
                    public void accept(FieldBuilder fb) {
                        for (FieldElement fe : f) fb.with(fe instanceof SignatureAttribute s ? signature(cp, s) : fe);
                    }
                });
            } else if (e instanceof MethodModel m) {
                cb.withMethod(m.methodName(), utf8(cp, m.methodType()), m.flags().flagsMask(), new Consumer<MethodBuilder>() {
                    @Override
                    public void accept(MethodBuilder mb) {
                        for (MethodElement me : m) {
                            if (me instanceof CodeModel c) {
                                mb.transformCode(c, new RenamedCode(c));
                            } else if (me instanceof SignatureAttribute s) {
                                mb.with(signature(cp, s));
                            } else if (me instanceof ExceptionsAttribute x) {
                                List<ClassEntry> renamed = new ArrayList<>();
                                for (ClassEntry c : x.exceptions()) renamed.add(type(cp, c));
                                mb.with(ExceptionsAttribute.of(renamed));
                            } else {
                                mb.with(me);
                            }
                        }
                    }
                });
            } else if (e instanceof SignatureAttribute s) {
                cb.with(signature(cp, s));
            } else {
                cb.with(e);
            }
        }

        /** A method's code with the names changed, its frames too. */
        private final class RenamedCode extends KeepsFrames {
            RenamedCode(CodeModel code) {
                super(code, version);
            }

            @Override
            public void accept(CodeBuilder cb, CodeElement e) {
                ConstantPoolBuilder cp = cb.constantPool();
                if (e instanceof FieldInstruction f) {
                    cb.fieldAccess(f.opcode(), cp.fieldRefEntry(type(cp, f.owner()), member(cp, f.field().nameAndType())));
                } else if (e instanceof InvokeInstruction i) {
                    ClassEntry owner = type(cp, i.owner());
                    NameAndTypeEntry nt = member(cp, i.method().nameAndType());
                    cb.invoke(i.opcode(), i.isInterface() ? cp.interfaceMethodRefEntry(owner, nt) : cp.methodRefEntry(owner, nt));
                } else if (e instanceof TypeCheckInstruction t) {
                    cb.with(TypeCheckInstruction.of(t.opcode(), type(cp, t.type())));
                } else if (e instanceof NewObjectInstruction n) {
                    cb.new_(type(cp, n.className()));
                } else if (e instanceof NewReferenceArrayInstruction a) {
                    cb.anewarray(type(cp, a.componentType()));
                } else if (e instanceof NewMultiArrayInstruction a) {
                    cb.multianewarray(type(cp, a.arrayType()), a.dimensions());
                } else if (e instanceof ConstantInstruction.LoadConstantInstruction l && l.constantEntry() instanceof ClassEntry c) {
                    cb.ldc(type(cp, c));
                } else if (e instanceof LocalVariable v) {
                    cb.localVariable(v.slot(), v.name(), utf8(cp, v.type()), v.startScope(), v.endScope());
                } else if (e instanceof LocalVariableType v) {
                    cb.localVariableType(v.slot(), v.name(), utf8(cp, v.signature()), v.startScope(), v.endScope());
                } else if (e instanceof ExceptionCatch x) {
                    Optional<ClassEntry> caught = x.catchType();
                    cb.exceptionCatch(x.tryStart(), x.tryEnd(), x.handler(), caught.isPresent() ? Optional.of(type(cp, caught.get())) : caught);
                } else {
                    super.accept(cb, e);
                }
            }

            @Override
            StackMapFrameInfo frame(ConstantPoolBuilder cp, StackMapFrameInfo f) {
                return StackMapFrameInfo.of(f.target(), types(cp, f.locals()), types(cp, f.stack()));
            }

            private List<VerificationTypeInfo> types(ConstantPoolBuilder cp, List<VerificationTypeInfo> in) {
                List<VerificationTypeInfo> out = new ArrayList<>(in.size());
                for (VerificationTypeInfo v : in) {
                    out.add(v instanceof ObjectVerificationTypeInfo o ? ObjectVerificationTypeInfo.of(type(cp, o.className())) : v);
                }
                return out;
            }
        }
    }

    // ---------------------------------------------------------------- descriptors

    /** The argument types of a method descriptor, each as a descriptor. */
    static List<String> argumentTypes(String desc) {
        List<String> out = new ArrayList<>();
        for (ClassDesc c : MethodTypeDesc.ofDescriptor(desc).parameterList()) out.add(c.descriptorString());
        return out;
    }

    /** The JVM descriptor of {@code c}. */
    static String descriptor(Class<?> c) {
        return c.descriptorString();
    }

    /** The JVM descriptor of {@code m}. */
    static String descriptor(Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) sb.append(p.descriptorString());
        return sb.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
