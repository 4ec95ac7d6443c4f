/**
 * Real threads for work that must not run on the hub (gevent's {@code gevent.threadpool}):
 * {@link io.coop.threadpool.ThreadPool} and its workers, {@link io.coop.threadpool.PoolThread}.
 *
 * <p>The greenlet that hands work over waits; the hub keeps running the others. Results come back
 * through the hub's inbox ({@link io.coop.Hub#post}) while the pool holds
 * {@link io.coop.Hub#keepAlive()} for each job in flight, so such a wait never ends in
 * {@link io.coop.LoopExit}. Every patch of the agent falls through to the JDK on a
 * {@code PoolThread}.
 *
 * <pre>{@code
 * try (ThreadPool pool = new ThreadPool(4)) {
 *     long n = pool.apply(() -> Files.lines(log).count());   // this greenlet waits, the others run
 * }
 * }</pre>
 */
package io.coop.threadpool;
