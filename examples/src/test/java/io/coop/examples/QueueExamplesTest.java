package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/10-queues.md. coop hands tasks out round robin, the same way every run. */
class QueueExamplesTest {

    private static final List<String> WORKERS = List.of("steve", "john", "nancy");

    @Test
    void queueWorkers() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int task = 1; task < 25; task++) expected.add("Worker " + WORKERS.get((task - 1) % 3) + " got task " + task);
        for (int i = 0; i < 3; i++) expected.add("Quitting time!");
        assertEquals(expected, Captured.run(QueueWorkers::main).lines());
    }

    @Test
    void boundedQueueWorkers() throws Exception {
        List<String> workers = List.of("steve", "john", "bob");
        List<String> expected = new ArrayList<>();
        for (int task = 1; task < 20; task++) {
            expected.add("Worker " + workers.get((task - 1) % 3) + " got task " + task);
            if (task == 6) expected.add("Assigned all work in iteration 1");    // 7, 8, 9 still queued
            if (task == 18) expected.add("Assigned all work in iteration 2");   // 19 still queued
        }
        for (int i = 0; i < 3; i++) expected.add("Quitting time!");
        Captured out = Captured.run(BoundedQueueWorkers::main);
        assertEquals(expected, out.lines());
        Timing.within(out.at("Quitting time!"), 950, 2500);   // the workers' 1 s get timeout
    }
}
