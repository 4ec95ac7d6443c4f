package io.coop.sync;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.Waiter;

import java.time.Duration;

/**
 * A counter of permits (gevent's {@code Semaphore}): {@link #acquire()} takes one, waiting while
 * there are none; {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore sem = new Semaphore(2);
 * for (int i = 0; i < 5; i++) {
 *     Coop.spawn(() -> {
 *         try (var held = sem.hold()) {     // at most two greenlets in here at once
 *             Coop.sleep(100);
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>Permits are handed off first in first out: {@code release()} with greenlets waiting gives
 * the permit straight to the first of them, so a greenlet that arrives later (or calls
 * {@link #tryAcquire()}) cannot take it first. A waiter handed a permit always gets it, even if a
 * Timeout or kill arrives in the same instant (that is then raised at its next blocking point).
 * A semaphore belongs to the hub of the thread that created it; use it from that hub's greenlets
 * (or its callbacks, for the non-blocking calls).
 */
public class Semaphore {
    private final Hub hub;
    private final String kind;
    /** The most permits there may be, or -1 for no bound. */
    private final int bound;
    private int permits;
    private final WaitQueue<Void> waiters = new WaitQueue<>();

    /** A semaphore with {@code permits} permits (0 or more). */
    public Semaphore(int permits) {
        this(permits, false, "Semaphore");
    }

    Semaphore(int permits, boolean bounded, String kind) {
        if (permits < 0) throw new IllegalArgumentException("permits must not be negative: " + permits);
        this.hub = Hub.current();
        this.permits = permits;
        this.bound = bounded ? permits : -1;
        this.kind = kind;
    }

    /** Takes a permit, waiting as long as it takes. */
    public void acquire() {
        acquireUntil(Hub.NO_DEADLINE);
    }

    /**
     * Takes a permit, waiting up to {@code timeout} (null: no limit; zero: do not wait); true if
     * one was taken, false on timeout.
     */
    public boolean acquire(Duration timeout) {
        return acquireUntil(Coop.deadline(timeout, "timeout"));
    }

    final boolean acquireUntil(long deadline) {
        if (tryAcquire()) return true;
        return waiters.await(new Readiness.Op("acquire", this), deadline) != null;
    }

    /** Takes a permit if one is free and nobody waits for one; never waits. */
    public boolean tryAcquire() {
        checkHub("tryAcquire");
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return true;
        }
        return false;
    }

    /** Acquires a permit and returns a {@link Held} that releases it on close (try-with-resources). */
    public Held hold() {
        acquire();
        return new Held(this::release);
    }

    /**
     * Gives a permit back: to the first waiter if any, else to the pool.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} released more often than acquired
     */
    public void release() {
        releaseTo();
    }

    /** Releases; returns the greenlet the permit was handed to, or null if it went back to the pool. */
    final Greenlet<?> releaseTo() {
        checkHub("release");
        if (bound >= 0 && permits >= bound) {
            throw new IllegalStateException(kind + " released too many times (its bound is " + bound + ")");
        }
        Waiter<Void> next = waiters.poll();
        if (next != null) {
            next.wake(null);
            return next.owner();
        }
        permits++;
        return null;
    }

    /** Free permits now. */
    public int availablePermits() {
        return permits;
    }

    /** True when {@link #acquire()} would wait (no free permit). */
    public boolean isLocked() {
        return permits == 0 || !waiters.isEmpty();
    }

    final int boundValue() {
        return bound;
    }

    /** Greenlets waiting for a permit now. */
    public int waiterCount() {
        return waiters.size();
    }

    /** Throws unless called on the owning hub's thread (RLock's checks name it by its kind). */
    final void checkHub(String what) {
        hub.checkHubThread(kind, what);
    }

    @Override
    public String toString() {
        return kind + "[permits=" + permits + (bound >= 0 ? "/" + bound : "") + ", waiters=" + waiters.size() + "]";
    }
}
