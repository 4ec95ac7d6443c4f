package io.coop.threadpool;

import io.coop.Coop;
import io.coop.Waiter;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One {@link ThreadPool#map} call made by a greenlet: every item is dispatched at once, the
 * results are kept in the order of the items, and the first failure (in time) ends the wait and
 * withdraws the items not started yet. Touched only on the caller's hub thread.
 */
final class MapCall<R> {
    private final R[] results;
    private int left;
    private Throwable failure;
    private Waiter<Void> waiter;

    @SuppressWarnings("unchecked")
    private MapCall(int n) {
        results = (R[]) new Object[n];
        left = n;
    }

    /** Runs {@code fn} over {@code input} on {@code pool}'s threads; the calling greenlet waits. */
    static <A, R> List<R> run(ThreadPool pool, Function<? super A, ? extends R> fn, List<A> input) {
        MapCall<R> call = new MapCall<>(input.size());
        ThreadPool.Job[] jobs = new ThreadPool.Job[input.size()];
        try {
            for (int i = 0; i < jobs.length; i++) {
                int index = i;
                A item = input.get(i);
                jobs[i] = pool.dispatch(() -> fn.apply(item), (v, t) -> call.done(index, v, t));
            }
            while (call.left > 0 && call.failure == null) {
                call.waiter = new Waiter<>(new PoolWait(null, "ThreadPool.map (" + call.left + " of " + jobs.length
                        + " left)", pool.name()));
                call.waiter.await();
            }
        } finally {
            if (call.left > 0) {
                for (ThreadPool.Job j : jobs) if (j != null) j.cancel();
            }
        }
        if (call.failure != null) throw Coop.unchecked(call.failure);
        return Arrays.asList(call.results);
    }

    private void done(int index, R value, Throwable t) {
        left--;
        if (t != null) {
            if (failure == null) failure = t;
        } else {
            results[index] = value;
        }
        if (waiter != null && (left == 0 || failure != null)) waiter.wake(null);
    }
}
