package io.coop.agent;

import java.util.List;

/**
 * One area of monkey-patching (gevent's {@code patch_socket}, {@code patch_time}, ...): the JDK
 * methods it changes, and the hooks ({@link HooksImpl} forwards to its static methods) those
 * methods call. Every hook answers "not mine" (null) for a thread that is not a greenlet, so the
 * JDK's own code runs there unchanged.
 *
 * <pre>{@code
 * Patch time = new TimePatch();
 * time.targets(Runtime.version().feature());   // the exact JDK methods
 * }</pre>
 */
public interface Patch {
    /** The area's name as used in options; {@code PatchOptions.AREAS} is the list of these names, taken from {@link CoopAgent}'s patches. */
    String area();

    /** The JDK methods to weave, for this JDK feature release. */
    List<Target> targets(int jdkFeature);

    /** The JDK methods whose calls in application classes go to the bridge instead (see {@link AppClassRewriter}); none by default. */
    default List<Redirect> redirects() {
        return List.of();
    }

    /** Looks up the JDK internals the hooks use; throws if this JDK lacks them (nothing is patched then). */
    void prepare() throws ReflectiveOperationException;
}
