package io.coop.examples;

import io.coop.Coop;
import io.coop.queue.Queue;
import java.util.List;

/**
 * Tutorial: "Queues": the boss fills the queue, then three workers take tasks until it is
 * empty; an item one worker took is never seen by another.
 */
public final class QueueWorkers {

    static Queue<Integer> tasks;

    static void worker(String n) {
        while (!tasks.isEmpty()) {
            int task = tasks.get();
            System.out.printf("Worker %s got task %s%n", n, task);
            Coop.sleep(0);
        }
        System.out.println("Quitting time!");
    }

    static void boss() {
        for (int i = 1; i < 25; i++) tasks.putNowait(i);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            tasks = new Queue<>();
            Coop.spawn(QueueWorkers::boss).join();
            Coop.joinAll(List.of(
                    Coop.spawn(() -> worker("steve")),
                    Coop.spawn(() -> worker("john")),
                    Coop.spawn(() -> worker("nancy"))));
            return null;
        });
    }
}
