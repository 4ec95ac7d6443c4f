package io.coop.threadpool;

/**
 * A worker thread of a {@link ThreadPool}: a platform daemon thread that coop owns. Its class
 * and its name (prefix {@code coop-}, e.g. {@code coop-pool-3}, {@code coop-resolver-1},
 * {@code coop-process-2}) mark it as coop's own.
 *
 * <p><b>The rule for patches.</b> Work is offloaded to these threads precisely so that it runs
 * the JDK's original, blocking code. Every patch of the agent must therefore fall through to the
 * JDK's own behaviour on a {@code PoolThread}: an {@code InetAddress} lookup made here must do
 * the real lookup (not call {@link io.coop.dns.Resolver} again), and starting a
 * {@code PoolThread} must start a real platform thread (not spawn a greenlet). A patch can test
 * {@link #isCoopThread(Thread)}, or, from code that cannot see this class (the bootstrap
 * bridge), compare the thread's class name with {@code "io.coop.threadpool.PoolThread"}.
 * These threads are not greenlets either, so the general rule (patches act only in greenlets)
 * already excludes them; the marker makes it explicit and cheap to check.
 *
 * <pre>{@code
 * ThreadPool pool = new ThreadPool(2);
 * boolean own = pool.apply(() -> PoolThread.isCoopThread(Thread.currentThread()));   // true
 * }</pre>
 */
public final class PoolThread extends Thread {
    final ThreadPool pool;

    PoolThread(ThreadPool pool, String name, Runnable body) {
        // no inherited inheritable thread locals: a worker must not carry a greenlet's context
        super(null, body, name, 0, false);
        this.pool = pool;
        setDaemon(true);
    }

    /** True when {@code t} is one of coop's own worker threads. */
    public static boolean isCoopThread(Thread t) {
        return t instanceof PoolThread;
    }

    /** True when the calling thread is one of coop's own worker threads. */
    public static boolean isCoopThread() {
        return Thread.currentThread() instanceof PoolThread;
    }

    /** The pool this thread works for. */
    public ThreadPool pool() {
        return pool;
    }
}
