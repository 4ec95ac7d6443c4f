package io.coop.examples;

import io.coop.Coop;
import io.coop.pool.Group;
import io.coop.sync.BoundedSemaphore;
import java.util.List;

/**
 * Tutorial: "Locks and semaphores": a {@link BoundedSemaphore} of 2 lets two workers in at a
 * time. {@code worker1} acquires and releases by hand; {@code worker2} holds the semaphore for a
 * try-with-resources block, Python's {@code with sem:}.
 */
public final class BoundedSemaphoreWorkers {

    static BoundedSemaphore sem;

    static Void worker1(int n) {
        sem.acquire();
        System.out.printf("Worker %d acquired semaphore%n", n);
        Coop.sleep(0);
        sem.release();
        System.out.printf("Worker %d released semaphore%n", n);
        return null;
    }

    @SuppressWarnings("try") // the resource is only held, never referenced
    static Void worker2(int n) {
        try (var held = sem.hold()) {
            System.out.printf("Worker %d acquired semaphore%n", n);
            Coop.sleep(0);
            System.out.printf("Worker %d released semaphore%n", n);
        }
        return null;
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            sem = new BoundedSemaphore(2);
            Group pool = new Group();
            pool.map(BoundedSemaphoreWorkers::worker1, List.of(0, 1));
            pool.map(BoundedSemaphoreWorkers::worker2, List.of(3, 4, 5));
            return null;
        });
    }
}
