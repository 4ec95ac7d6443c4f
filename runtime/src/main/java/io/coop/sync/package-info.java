/**
 * gevent's synchronization primitives for greenlets: {@link io.coop.sync.Event},
 * {@link io.coop.sync.AsyncResult}, {@link io.coop.sync.Semaphore},
 * {@link io.coop.sync.BoundedSemaphore} and {@link io.coop.sync.RLock}.
 *
 * <p>Every primitive belongs to the hub of the thread that creates it and is used from that
 * hub's greenlets (no locks or atomics inside). Only {@code Event.set/clear} and
 * {@code AsyncResult.set/setException} may be called from other threads: they hand the work to
 * the hub with {@link io.coop.Hub#post}. Waiters are served first in first out, and what is
 * handed to a woken waiter (a permit, the lock) is never lost: a Timeout or kill that arrives
 * in the same instant is raised at the waiter's next blocking point instead.
 *
 * <pre>{@code
 * Semaphore sem = new BoundedSemaphore(2);
 * try (var held = sem.hold()) {
 *     // at most two greenlets here at once
 * }
 * }</pre>
 */
package io.coop.sync;
