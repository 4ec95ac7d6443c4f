package io.coop.sync;

/**
 * A permit or lock held by {@code hold()}, released by {@link #close()} (once: a second close does
 * nothing). For try-with-resources.
 *
 * <pre>{@code
 * try (var held = lock.hold()) {
 *     // the lock is held here and released on the way out, even on an exception or a kill
 * }
 * }</pre>
 */
public final class Held implements AutoCloseable {
    private Runnable release;

    Held(Runnable release) {
        this.release = release;
    }

    /** Releases what was acquired; later calls do nothing. */
    @Override
    public void close() {
        Runnable r = release;
        if (r != null) {
            release = null;
            r.run();
        }
    }
}
