package io.coop.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code jdk.internal.vm.Continuation}, the JDK's one-shot delimited continuation that virtual
 * threads are built on, reached through method handles so that this module compiles with
 * {@code --release 21}. The JVM that uses it needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 *
 * <pre>{@code
 * Object scope = RawContinuation.scope("bench");
 * Object c = RawContinuation.create(scope, () -> { while (true) RawContinuation.yield(scope); });
 * RawContinuation.run(c);   // runs the body up to its first yield, then returns here
 * }</pre>
 */
public final class RawContinuation {
    private static final MethodHandle NEW_SCOPE;
    private static final MethodHandle NEW_CONTINUATION;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            NEW_SCOPE = lookup.findConstructor(scope, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Object.class, String.class));
            NEW_CONTINUATION = lookup.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            RUN = lookup.findVirtual(cont, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            YIELD = lookup.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException | IllegalAccessError e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "raw continuations need --add-exports java.base/jdk.internal.vm=ALL-UNNAMED", e));
        }
    }

    private RawContinuation() {
    }

    /** A new {@code ContinuationScope} named {@code name}. */
    public static Object scope(String name) {
        try {
            return (Object) NEW_SCOPE.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new continuation of {@code scope} that will run {@code body}. */
    public static Object create(Object scope, Runnable body) {
        try {
            return (Object) NEW_CONTINUATION.invokeExact(scope, body);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Mounts {@code continuation} on the calling thread until it yields or ends. */
    public static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Suspends the running continuation of {@code scope}; returns when it is run again. */
    public static void yield(Object scope) {
        try {
            boolean ok = (boolean) YIELD.invokeExact(scope);
            if (!ok) throw new IllegalStateException("continuation is pinned: it could not yield");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
