package io.coop.sync;

import io.coop.Hub;
import io.coop.Coop;
import io.coop.Greenlet;

import java.time.Duration;

/**
 * A reentrant lock owned by a greenlet (gevent's {@code RLock}): the owner may acquire it again,
 * and must release it as many times; other greenlets wait their turn, first in first out.
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * try (var held = lock.hold()) {
 *     try (var again = lock.hold()) {     // reentrant: the owner does not wait
 *         // ...
 *     }
 * }
 * }</pre>
 *
 * <p>When the owner releases it for the last time, the lock passes straight to the first waiter
 * (no barging), which owns it from that moment even if a Timeout or kill arrives in the same
 * instant. {@link #release()} by a greenlet that does not own the lock throws
 * {@link IllegalStateException}. A lock whose owner dies while holding it stays held. Use it from
 * the greenlets of the hub of the thread that created it.
 */
public class RLock {
    /** The permit: one waiting line, shared with Semaphore's hand-off logic. */
    private final Semaphore permit = new Semaphore(1, true, "RLock");
    private Greenlet<?> owner;
    private int count;

    /** An unlocked lock. */
    public RLock() {
    }

    /** Acquires the lock (again, if the current greenlet owns it), waiting as long as it takes. */
    public void acquire() {
        acquireUntil(Hub.NO_DEADLINE);
    }

    /**
     * Acquires the lock, waiting up to {@code timeout} (null: no limit; zero: do not wait); true if
     * acquired, false on timeout.
     */
    public boolean acquire(Duration timeout) {
        return acquireUntil(Coop.deadline(timeout, "timeout"));
    }

    private boolean acquireUntil(long deadline) {
        permit.checkHub("acquire");
        Greenlet<?> me = Greenlet.current();
        if (owner == me) {
            count++;
            return true;
        }
        if (!permit.acquireUntil(deadline)) return false;
        owner = me;
        count = 1;
        return true;
    }

    /** Acquires the lock if it is free (or already owned by the current greenlet); never waits. */
    public boolean tryAcquire() {
        permit.checkHub("tryAcquire");
        Greenlet<?> me = Greenlet.current();
        if (owner == me) {
            count++;
            return true;
        }
        if (!permit.tryAcquire()) return false;
        owner = me;
        count = 1;
        return true;
    }

    /** Acquires the lock and returns a {@link Held} that releases it on close (try-with-resources). */
    public Held hold() {
        acquire();
        return new Held(this::release);
    }

    /**
     * Releases one hold; the last one frees the lock (handing it to the first waiter).
     *
     * @throws IllegalStateException if the current greenlet does not own the lock
     */
    public void release() {
        permit.checkHub("release");
        Greenlet<?> me = Greenlet.current();
        if (owner != me) {
            throw new IllegalStateException("RLock.release by " + me + ", which does not own the lock (owner: " + owner + ")");
        }
        if (--count > 0) return;
        owner = permit.releaseTo();
        count = owner == null ? 0 : 1;
    }

    /** True while some greenlet owns the lock. */
    public boolean isLocked() {
        return permit.isLocked();
    }

    /** True if the current greenlet owns the lock. */
    public boolean isOwnedByCurrent() {
        return owner != null && owner == Greenlet.current();
    }

    /** The owning greenlet, or null when free. */
    public Greenlet<?> owner() {
        return owner;
    }

    /** How many times the owner holds the lock (0 when free). */
    public int holdCount() {
        return count;
    }

    /** Greenlets waiting for the lock now. */
    public int waiterCount() {
        return permit.waiterCount();
    }

    @Override
    public String toString() {
        return "RLock[" + (owner == null ? "free" : "owner=" + owner.name() + ", count=" + count) + ", waiters=" + waiterCount() + "]";
    }
}
