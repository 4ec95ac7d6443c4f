package io.coop.agent;

/**
 * One JDK method that a patch changes, named exactly (class, method, JVM descriptor) so that
 * nothing is scanned and a JDK whose internals differ is noticed before anything is changed.
 * The change is always the same: a call at the very start of the method to the bridge method
 * {@code hook} (with the receiver, or the class for a static method, if the hook takes it, and
 * every argument); if the hook returns non-null, the method returns that value (unboxed) at
 * once, else its own code runs.
 *
 * <pre>{@code
 * new Target("java.lang.VirtualThread", "sleepNanos", "(J)V", "sleep")
 * }</pre>
 *
 * @param className  the JDK class, binary name
 * @param method     the method name
 * @param descriptor the JVM method descriptor, e.g. {@code (J)V}
 * @param hook       the name of the {@code CoopBridge} method called first
 * @param optional   true if the area still works without it (it only sharpens the patch): a JDK
 *                   that lacks it is not refused, the method is just left alone
 */
public record Target(String className, String method, String descriptor, String hook, boolean optional) {
    /** A required target. */
    public Target(String className, String method, String descriptor, String hook) {
        this(className, method, descriptor, hook, false);
    }

    /** This target, marked optional. */
    public Target optionalTarget() {
        return new Target(className, method, descriptor, hook, true);
    }

    @Override
    public String toString() {
        return className + "." + method + descriptor;
    }
}
