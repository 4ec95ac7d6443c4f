package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.sync.BoundedSemaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed: a semaphore limits how many greenlets run a section at once: six workers, two at a time.
 */
public final class SemaphoreLimit {

    static BoundedSemaphore sem;

    static void worker(int n) {
        sem.acquire();
        System.out.printf("Worker %d acquired semaphore%n", n);
        Coop.sleep(0);
        sem.release();
        System.out.printf("Worker %d released semaphore%n", n);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            sem = new BoundedSemaphore(2);
            List<Greenlet<?>> workers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                workers.add(Coop.spawn(() -> worker(n)));
            }
            Coop.joinAll(workers);
            return null;
        });
    }
}
