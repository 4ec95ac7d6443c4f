package io.coop.agent;

import java.util.List;

/**
 * One area of monkey-patching (gevent's {@code patch_socket}, {@code patch_time}, ...): the JDK
 * methods it changes and the hooks those methods call. Every hook answers "not mine" for a
 * thread that is not a greenlet, so the JDK's own code runs there unchanged.
 *
 * <pre>{@code
 * Patch time = new TimePatch();
 * time.targets(Runtime.version().feature());   // the exact JDK methods, or empty if unsupported
 * }</pre>
 */
public interface Patch {
    /** The area's name as used in options: time, thread, socket, select, dns, subprocess. */
    String area();

    /** The JDK methods to weave, for this JDK feature release. */
    List<Target> targets(int jdkFeature);

    /** Points the bridge at this patch's hooks. */
    void installHooks(Bridge bridge) throws ReflectiveOperationException;

    /** Detaches the hooks again (the JDK methods then behave as before). */
    void removeHooks(Bridge bridge) throws ReflectiveOperationException;
}
