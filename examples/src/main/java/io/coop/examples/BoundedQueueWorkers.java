package io.coop.examples;

import io.coop.Coop;
import io.coop.queue.Empty;
import io.coop.queue.Queue;
import java.time.Duration;
import java.util.List;

/**
 * Tutorial: "Queues", bounded: the boss waits to hand out work while the queue holds 3 tasks;
 * the workers wait up to a second for a task and quit when none comes ({@link Empty}).
 */
public final class BoundedQueueWorkers {

    static Queue<Integer> tasks;

    static void worker(String n) {
        try {
            while (true) {
                int task = tasks.get(Duration.ofSeconds(1));   // decrements queue size by 1
                System.out.printf("Worker %s got task %s%n", n, task);
                Coop.sleep(0);
            }
        } catch (Empty e) {
            System.out.println("Quitting time!");
        }
    }

    /** The boss waits to hand out work until a worker is free, since the queue holds at most 3. */
    static void boss() {
        for (int i = 1; i < 10; i++) tasks.put(i);
        System.out.println("Assigned all work in iteration 1");

        for (int i = 10; i < 20; i++) tasks.put(i);
        System.out.println("Assigned all work in iteration 2");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            tasks = new Queue<>(3);
            return Coop.joinAll(List.of(
                    Coop.spawn(BoundedQueueWorkers::boss),
                    Coop.spawn(() -> worker("steve")),
                    Coop.spawn(() -> worker("john")),
                    Coop.spawn(() -> worker("bob"))));
        });
    }
}
