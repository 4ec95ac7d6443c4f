package io.coop.agent;

/**
 * One JDK static method whose calls in application classes are redirected, as those classes
 * load, to the {@code CoopBridge} method of the same name and descriptor: for behaviour that
 * cannot be woven into the JDK method itself (the JIT compiles {@code Thread.onSpinWait} to one
 * instruction; {@code Thread.currentThread} must stay the JDK's own answer for the JDK's code).
 * See {@link AppClassRewriter}.
 *
 * <pre>{@code
 * new Redirect("java/lang/Thread", "onSpinWait", "()V")
 * }</pre>
 *
 * @param owner      the JDK class, internal name
 * @param method     the method name, which is also what a class file must mention to be parsed
 * @param descriptor the JVM method descriptor
 */
public record Redirect(String owner, String method, String descriptor) {
    @Override
    public String toString() {
        return owner.replace('/', '.') + "." + method + descriptor + " (calls in application classes)";
    }
}
