package io.coop;

/**
 * Something a greenlet can wait for that becomes ready once: a {@link Greenlet} (when it ends),
 * an {@link io.coop.sync.Event} (when set), an {@link io.coop.sync.AsyncResult} (when it has a
 * value or an exception). {@link Coop#waitAll} and {@link Coop#iwait} take any mix of them.
 *
 * <pre>{@code
 * for (Waitable w : Coop.iwait(List.of(g1, event, result))) System.out.println(w + " is ready");
 * }</pre>
 */
public interface Waitable {

    /** True once this waitable is ready. */
    boolean isReady();

    /**
     * Runs {@code listener} on the hub once this waitable is ready (at once, as a hub callback, if
     * it already is). Listeners must not block.
     */
    void addReadyListener(Runnable listener);

    /** Removes a listener added with {@link #addReadyListener}; harmless if it already ran. */
    void removeReadyListener(Runnable listener);
}
