package io.coop.sync;

/**
 * A {@link Semaphore} that never holds more permits than it started with (gevent's
 * {@code BoundedSemaphore}): a {@link #release()} past that bound throws
 * {@link IllegalStateException}, which catches a release without a matching acquire.
 *
 * <pre>{@code
 * BoundedSemaphore sem = new BoundedSemaphore(2);
 * sem.acquire();
 * sem.release();
 * sem.release();   // IllegalStateException: released too many times
 * }</pre>
 */
public class BoundedSemaphore extends Semaphore {

    /** A semaphore with {@code permits} permits, which is also its bound. */
    public BoundedSemaphore(int permits) {
        super(permits, true, "BoundedSemaphore");
    }

    /** The most permits this semaphore may hold (the initial count). */
    public int bound() {
        return boundValue();
    }
}
