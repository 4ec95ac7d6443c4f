package io.coop.examples;

import io.coop.Coop;
import io.coop.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tutorial: "Determinism". The same ten one-millisecond tasks, each in a pool of ten, four times:
 * on ten OS threads the order they finish in changes from run to run; in a coop {@link Pool} it
 * is the same every run.
 */
public final class PoolDeterminism {

    /** The task on an OS thread. */
    static int echoOnThread(int i) throws InterruptedException {
        Thread.sleep(1);
        return i;
    }

    /** The same task as a greenlet. */
    static int echo(int i) {
        Coop.sleep(1);
        return i;
    }

    /** The thread pool's imap_unordered: results in the order the tasks finish. */
    static List<Integer> threadRun(ExecutorService threads) throws Exception {
        ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(threads);
        for (int i = 0; i < 10; i++) {
            int n = i;
            done.submit(() -> echoOnThread(n));
        }
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < 10; i++) run.add(done.take().get());
        return run;
    }

    static List<Integer> coopRun(Pool p) {
        List<Integer> run = new ArrayList<>();
        for (int a : p.imapUnordered(PoolDeterminism::echo, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))) run.add(a);
        return run;
    }

    public static void main(String[] args) throws Exception {
        // Non-deterministic thread pool
        try (ExecutorService p = Executors.newFixedThreadPool(10)) {
            List<Integer> run1 = threadRun(p), run2 = threadRun(p), run3 = threadRun(p), run4 = threadRun(p);
            System.out.println(run1.equals(run2) && run2.equals(run3) && run3.equals(run4));
        }

        // Deterministic coop pool
        Coop.run(() -> {
            Pool p = new Pool(10);
            List<Integer> run1 = coopRun(p), run2 = coopRun(p), run3 = coopRun(p), run4 = coopRun(p);
            System.out.println(run1.equals(run2) && run2.equals(run3) && run3.equals(run4));
            return null;
        });
    }
}
