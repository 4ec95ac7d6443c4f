package io.coop.threadpool;

import io.coop.Coop;
import io.coop.Hub;
import io.coop.Timeout;
import io.coop.Waiter;
import io.coop.sync.AsyncResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Real OS threads for work that must not run on the hub: CPU-bound computations and blocking
 * calls that coop cannot make cooperative (gevent's {@code ThreadPool}). The greenlet that hands
 * work over waits cooperatively; the hub keeps running every other greenlet meanwhile.
 *
 * <pre>{@code
 * try (ThreadPool pool = new ThreadPool(4)) {
 *     Coop.run(() -> {
 *         byte[] digest = pool.apply(() -> sha256(bigFile));          // this greenlet waits, the others run
 *         AsyncResult<Long> n = pool.spawn(() -> countLines(log));    // runs while we go on
 *         List<Integer> sizes = pool.map(s -> s.length(), List.of("a", "bb", "ccc"));  // [1, 2, 3]
 *         return n.get();
 *     });
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Up to {@code size} platform daemon threads ({@link PoolThread}), named
 * {@code coop-pool-1}, {@code coop-pool-2}, ... (or after the name given), made on demand when
 * work arrives and no worker is idle. A worker that finds no work for the idle timeout (10 s by
 * default) exits; the pool makes a new one when work comes again. Work beyond {@code size}
 * waits in a first-in first-out queue.
 *
 * <p><b>Results.</b> A worker never touches the hub's data: it posts the outcome to the hub of
 * the thread that handed the work over ({@link Hub#post}), and the hub wakes the waiting
 * greenlet. From the moment the work is accepted until its outcome has been delivered the
 * pool holds a {@link Hub#keepAlive()} on that hub, so a hub whose greenlets all wait for the
 * pool never raises {@link io.coop.LoopExit}. Exceptions arrive as they were thrown: the same
 * object, unchecked ones as they are, checked ones wrapped in
 * {@link java.util.concurrent.CompletionException} by {@link #apply} and {@link #map} (coop's
 * blocking calls throw no checked exception) and as is from {@link #dispatch}.
 *
 * <p><b>Interruption.</b> A greenlet waiting in {@link #apply} or {@link #map} that is killed
 * or times out stops waiting at once; work not yet started is withdrawn, work already running
 * on a thread runs to its end (a Java thread cannot be stopped safely) and its result is
 * dropped.
 *
 * <p>One pool may serve several hubs: its methods are safe from any thread, and each outcome
 * goes back to the hub it came from. A body that runs on a worker may hand more work to the
 * same pool; {@link #apply} and {@link #map} called on one of the pool's own workers run the
 * body inline instead of queueing it (so a full pool cannot deadlock on itself).
 */
public class ThreadPool implements AutoCloseable {
    /** How long an idle worker waits for work before it exits, unless told otherwise. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final int size;
    private final String name;
    private final Workers workers;

    /** A pool of up to {@code size} threads named {@code coop-pool-N}, idle timeout {@link #DEFAULT_IDLE_TIMEOUT}. */
    public ThreadPool(int size) {
        this(size, "coop-pool", DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * A pool of up to {@code size} threads named {@code name-1}, {@code name-2}, ...; a worker
     * idle for {@code idleTimeout} exits.
     *
     * @throws IllegalArgumentException if {@code size < 1} or {@code idleTimeout} is not positive
     */
    public ThreadPool(int size, String name, Duration idleTimeout) {
        if (size < 1) throw new IllegalArgumentException("size must be at least 1: " + size);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        this.size = size;
        this.name = name;
        long nanos;
        try {
            nanos = idleTimeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        this.workers = new Workers(this, nanos);
    }

    // ---------------------------------------------------------------- handing work over

    /**
     * Runs {@code task} on a worker thread, then calls {@code onDone} with its value (or null)
     * and its exception (or null, exactly as thrown) on the calling thread's hub, as a hub
     * callback: it must not block. The building block of everything else in this package and
     * of {@link io.coop.dns.Resolver} and {@link io.coop.process.Subprocess}. The caller's hub is
     * kept alive ({@link Hub#keepAlive()}) until {@code onDone} has run or the job is cancelled.
     *
     * <pre>{@code
     * Waiter<String> w = new Waiter<>("the file");
     * pool.dispatch(() -> Files.readString(path), (text, error) -> w.wake(error == null ? text : null));
     * String text = w.await();
     * }</pre>
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> Job dispatch(Callable<T> task, BiConsumer<? super T, ? super Throwable> onDone) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(onDone, "onDone");
        Hub hub = Hub.current();
        Job job = new Job(this, task, onDone, hub);
        workers.submit(job, hub);
        return job;
    }

    /**
     * Starts {@code task} on a worker thread and returns at once an {@link AsyncResult} that
     * receives its value, or its exception as is ({@link AsyncResult#get()} rethrows an
     * unchecked one as it is). The result belongs to the calling thread's hub, which is kept
     * alive until the result is set. Called on one of this pool's own threads, runs {@code task}
     * directly and returns a result that is already set.
     *
     * <pre>{@code
     * AsyncResult<byte[]> page = pool.spawn(() -> render(report));
     * ... // other work; greenlets keep running
     * byte[] bytes = page.get(Duration.ofSeconds(5));
     * }</pre>
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> AsyncResult<T> spawn(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        AsyncResult<T> result = new AsyncResult<>();
        if (isOwnWorker()) {
            try {
                result.set(task.call());
            } catch (Throwable t) {
                result.setException(t);
            }
            return result;
        }
        dispatch(task, (v, t) -> {
            if (t == null) result.set(v);
            else result.setException(t);
        });
        return result;
    }

    /**
     * Runs {@code task} on a worker thread and returns its value; the calling greenlet waits,
     * the hub does not. An exception thrown by {@code task} is rethrown as is (a checked one
     * wrapped in {@link java.util.concurrent.CompletionException}). Called on one of this pool's
     * own threads, runs {@code task} directly.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> T apply(Callable<T> task) {
        try {
            return call(task);
        } catch (Exception e) {
            throw Coop.unchecked(e);
        }
    }

    /**
     * As {@link #apply(Callable)}, waiting at most {@code timeout} (null: no limit): when it
     * passes first, {@link Timeout} is thrown; the task is withdrawn if it has not started, else
     * it runs to its end on its thread and its result is dropped.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> T apply(Callable<T> task, Duration timeout) {
        Objects.requireNonNull(task, "task");
        long deadline = Coop.deadline(timeout, "timeout");
        try {
            return call(task, deadline, timeout);
        } catch (Exception e) {
            throw Coop.unchecked(e);
        }
    }

    /**
     * As {@link #apply}, but the exception thrown by {@code task} comes out exactly as thrown,
     * checked ones included: for callers that pass a specific checked exception on (the
     * {@link io.coop.dns.Resolver} passes {@link java.net.UnknownHostException} on as is).
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> T call(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        return call(task, Coop.deadline(null, "timeout"), null);
    }

    private <T> T call(Callable<T> task, long deadline, Duration timeout) throws Exception {
        if (isOwnWorker()) return task.call();
        Waiter<Outcome<T>> w = new Waiter<>(new PoolWait(task, "ThreadPool.apply", name));
        Job job = dispatch(task, (v, t) -> w.wake(new Outcome<>(v, t)));
        try {
            if (!w.await(deadline)) throw new Timeout(timeout);
        } finally {
            if (!w.isWoken()) job.cancel();
        }
        Outcome<T> o = w.value();
        Throwable t = o.failure;
        if (t == null) return o.value;
        if (t instanceof Exception e) throw e;
        if (t instanceof Error e) throw e;
        throw new java.util.concurrent.CompletionException(t); // a bare Throwable subclass
    }

    /**
     * Applies {@code fn} to every item on the pool's threads, at most {@code size} at a time,
     * and returns the results in the order of the items. The first failure (in time) is rethrown
     * at once, as {@link #apply} does, and the items not started yet are withdrawn.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        List<A> input = new ArrayList<>();
        for (A a : items) input.add(a);
        if (isOwnWorker()) {
            List<R> out = new ArrayList<>(input.size());
            for (A a : input) out.add(fn.apply(a));
            return out;
        }
        return MapCall.run(this, fn, input);
    }

    private record Outcome<T>(T value, Throwable failure) {
    }

    private boolean isOwnWorker() {
        return Thread.currentThread() instanceof PoolThread pt && pt.pool == this;
    }

    // ---------------------------------------------------------------- shutting down

    /**
     * Stops taking work: later calls throw {@link RejectedExecutionException}. Work already
     * accepted (running or queued) still runs and its results are delivered; then the workers
     * exit. Returns at once. Idempotent.
     */
    public void shutdown() {
        workers.shutdown();
    }

    /** Same as {@link #shutdown()}: for try-with-resources. */
    @Override
    public void close() {
        shutdown();
    }

    /** True once {@link #shutdown()} (or {@link #close()}) was called. */
    public boolean isShutdown() {
        return workers.isShutdown();
    }

    // ---------------------------------------------------------------- introspection

    /** The most threads this pool runs at once. */
    public int size() {
        return size;
    }

    /** The name its threads are named after. */
    public String name() {
        return name;
    }

    /** Worker threads alive now (busy or idle). */
    public int threadCount() {
        return workers.threadCount();
    }

    /** Worker threads waiting for work now. */
    public int idleCount() {
        return workers.idleCount();
    }

    /** Jobs accepted and not yet taken by a worker. */
    public int queuedCount() {
        return workers.queuedCount();
    }

    @Override
    public String toString() {
        return "ThreadPool[" + name + ", size=" + size + ", " + workers + "]";
    }

    /**
     * One piece of work handed to a pool by {@link #dispatch}. It can be withdrawn until a
     * worker takes it.
     */
    public static final class Job {
        /*
         * Job states and transitions. A worker, the pool and a canceller on any thread race for
         * a queued job, so every transition is a compareAndSet, made by moveTo, which also
         * checks it against this table:
         *
         *      from -> to          by
         *    QUEUED -> RUNNING     a worker takes it off the line (or, when no worker thread could
         *                          be started, the pool, which fails it with that error)
         *    QUEUED -> CANCELLED   cancel() before a worker took it: it never runs, onDone is never called
         *   RUNNING -> DONE        the hub hands the outcome, which the worker posted, to onDone
         *
         * DONE and CANCELLED are final. The keep-alive on the caller's hub is taken when the job
         * is accepted (QUEUED) and closed once it is CANCELLED, or DONE and onDone has run.
         */
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;      // final
        private static final int CANCELLED = 3; // final
        private static final String[] STATE_NAMES = {"queued", "running", "done", "cancelled"};
        /** The table above: bit {@code 1 << to} of {@code NEXT[from]} is set for each allowed transition. */
        private static final int[] NEXT = {1 << RUNNING | 1 << CANCELLED, 1 << DONE, 0, 0};
        private static final AtomicIntegerFieldUpdater<Job> STATE = AtomicIntegerFieldUpdater.newUpdater(Job.class, "state");

        private volatile int state; // QUEUED
        private final ThreadPool pool;
        private final Callable<?> task;
        private final BiConsumer<Object, Throwable> onDone;
        private final Hub hub;
        private Hub.KeepAlive alive;

        @SuppressWarnings("unchecked")
        private <T> Job(ThreadPool pool, Callable<T> task, BiConsumer<? super T, ? super Throwable> onDone, Hub hub) {
            this.pool = pool;
            this.task = task;
            this.onDone = (BiConsumer<Object, Throwable>) (BiConsumer<?, ?>) onDone;
            this.hub = hub;
        }

        /** Makes the transition {@code from -> to} of the table above; false if the job was no longer in {@code from}. */
        private boolean moveTo(int from, int to) {
            if ((NEXT[from] & 1 << to) == 0) {
                throw new IllegalStateException("a ThreadPool job cannot go from " + STATE_NAMES[from] + " to " + STATE_NAMES[to]);
            }
            return STATE.compareAndSet(this, from, to);
        }

        /** Under the pool's lock, before any worker can see the job: it holds {@code alive} until it is done or cancelled. */
        void accepted(Hub.KeepAlive alive) {
            this.alive = alive;
        }

        /** On a worker thread. */
        void run() {
            if (!moveTo(QUEUED, RUNNING)) return;
            Object value = null;
            Throwable failure = null;
            try {
                value = task.call();
            } catch (Throwable t) {
                failure = t;
            }
            deliver(value, failure);
        }

        /** The pool gives up on a queued job: no thread is left to run it. */
        void fail(Throwable t) {
            if (moveTo(QUEUED, RUNNING)) deliver(null, t);
        }

        private void deliver(Object value, Throwable failure) {
            hub.post(new Delivery(this, value, failure));
        }

        /** On the hub: hand the outcome over, then let the hub go. */
        private record Delivery(Job job, Object value, Throwable failure) implements Runnable {
            @Override
            public void run() {
                if (!job.moveTo(RUNNING, DONE)) throw new IllegalStateException(job + " was delivered twice");
                try {
                    job.onDone.accept(value, failure);
                } finally {
                    job.alive.close();
                }
            }

            @Override
            public String toString() {
                return "the delivery of a " + job.pool.name + " job";
            }
        }

        /**
         * Withdraws the job if no worker has taken it yet: it will not run and its
         * {@code onDone} is never called. Any thread. True if it was withdrawn.
         */
        public boolean cancel() {
            if (!moveTo(QUEUED, CANCELLED)) return false;
            pool.workers.remove(this);
            alive.close();
            return true;
        }

        /** True once a worker has taken it (it runs, or has run). */
        public boolean isStarted() {
            int s = state;
            return s == RUNNING || s == DONE;
        }

        /** True once its outcome has been handed to {@code onDone}. */
        public boolean isDone() {
            return state == DONE;
        }

        /** True if {@link #cancel()} took the job off the queue before it started. */
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        public String toString() {
            return "ThreadPool.Job[" + pool.name + ", " + STATE_NAMES[state] + "]";
        }
    }
}
