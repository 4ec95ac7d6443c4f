package io.coop.threadpool;

import io.coop.Hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The threads of one {@link ThreadPool} and the line of jobs they take work from: up to the
 * pool's size of {@link PoolThread}s, made when work arrives and no worker is idle; a worker idle
 * for the idle timeout exits. Work beyond the size waits in the line, first in first out.
 * Everything here is guarded by one lock; any thread may call in.
 */
final class Workers {
    private final ThreadPool pool;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<ThreadPool.Job> queue = new ArrayDeque<>();
    private final AtomicInteger threadIds = new AtomicInteger();
    private int threads;
    private int idle;
    private boolean shutdown;

    Workers(ThreadPool pool, long idleNanos) {
        this.pool = pool;
        this.idleNanos = idleNanos;
    }

    /**
     * Accepts {@code job} (it takes its keep-alive on {@code hub} before any worker can see it),
     * queues it, and wakes or starts a worker for it.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    void submit(ThreadPool.Job job, Hub hub) {
        boolean newThread;
        lock.lock();
        try {
            if (shutdown) throw new RejectedExecutionException(pool + " is shut down: it accepts no new work");
            job.accepted(hub.keepAlive());
            queue.addLast(job);
            // idle workers, woken or not, each take one job: start a thread only if they cannot cover the queue
            newThread = queue.size() > idle && threads < pool.size();
            if (newThread) threads++;
            else workArrived.signal();
        } finally {
            lock.unlock();
        }
        if (newThread) startWorker();
    }

    /** Takes {@code job} out of the line; false if a worker already took it. */
    boolean remove(ThreadPool.Job job) {
        return locked(() -> queue.remove(job));
    }

    /** Accepts no more work; the workers finish what is queued, then exit. */
    void shutdown() {
        locked(() -> {
            shutdown = true;
            workArrived.signalAll();
            return null;
        });
    }

    boolean isShutdown() {
        return locked(() -> shutdown);
    }

    int threadCount() {
        return locked(() -> threads);
    }

    int idleCount() {
        return locked(() -> idle);
    }

    int queuedCount() {
        return locked(queue::size);
    }

    @Override
    public String toString() {
        return locked(() -> "threads=" + threads + ", idle=" + idle + ", queued=" + queue.size() + (shutdown ? ", shut down" : ""));
    }

    private <R> R locked(Supplier<R> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void startWorker() {
        PoolThread t = new PoolThread(pool, pool.name() + "-" + threadIds.incrementAndGet(), this::work);
        try {
            t.start();
        } catch (Throwable e) { // e.g. OutOfMemoryError: unable to create native thread
            List<ThreadPool.Job> orphans = new ArrayList<>();
            lock.lock();
            try {
                threads--;
                if (threads == 0) {
                    orphans.addAll(queue);
                    queue.clear();
                }
            } finally {
                lock.unlock();
            }
            // with no thread left nobody would ever run them: fail them instead of hanging their waiters
            for (ThreadPool.Job j : orphans) j.fail(e);
        }
    }

    /** A worker's life: take jobs until idle for too long or the pool is shut down. */
    private void work() {
        while (true) {
            ThreadPool.Job job;
            lock.lock();
            try {
                long nanos = idleNanos;
                while ((job = queue.pollFirst()) == null) {
                    if (shutdown || nanos <= 0) {
                        threads--;
                        return;
                    }
                    idle++;
                    try {
                        nanos = workArrived.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        // nobody should interrupt a worker; stay and look again
                    } finally {
                        idle--;
                    }
                }
            } finally {
                lock.unlock();
            }
            job.run();
            Thread.interrupted(); // a task's interrupt must not leak into the next one
        }
    }
}
