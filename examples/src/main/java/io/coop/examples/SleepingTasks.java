package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed: "the performance difference between synchronous and asynchronous": each task waits
 * 0.5 s. One after the other they take 4.5 s; as ten greenlets, 0.5 s, and since they all wait
 * the same time they end in the order they started. The times go to stderr.
 */
public final class SleepingTasks {

    static void task(int pid) {
        Coop.sleep(500);
        System.out.println("Task " + pid + " done");
    }

    static void synchronous() {
        for (int i = 1; i < 10; i++) task(i);
    }

    static void asynchronous() {
        List<Greenlet<?>> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int pid = i;
            threads.add(Coop.spawn(() -> task(pid)));
        }
        Coop.joinAll(threads);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            long t0 = System.nanoTime();
            System.out.println("Synchronous:");
            synchronous();
            long t1 = System.nanoTime();
            System.out.println("Asynchronous:");
            asynchronous();
            long t2 = System.nanoTime();
            System.err.printf("synchronous %.1f s, asynchronous %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            return null;
        });
    }
}
