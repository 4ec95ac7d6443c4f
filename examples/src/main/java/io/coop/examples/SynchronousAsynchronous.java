package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tutorial: a non-deterministic task (it waits 0, 1 or 2 ms at random) run nine times one after
 * the other, then ten times as greenlets: the greenlets finish in the order their waits end.
 */
public final class SynchronousAsynchronous {

    /** Some non-deterministic task. */
    static void task(int pid) {
        Coop.sleep(ThreadLocalRandom.current().nextInt(0, 3));
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
            System.out.println("Synchronous:");
            synchronous();
            System.out.println("Asynchronous:");
            asynchronous();
            return null;
        });
    }
}
