package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/12-locks-and-semaphores.md. */
class LockExamplesTest {


    @Test
    void boundedSemaphoreWorkers() throws Exception {
        assertEquals(List.of(
                "Worker 0 acquired semaphore", "Worker 1 acquired semaphore",
                "Worker 0 released semaphore", "Worker 1 released semaphore",
                "Worker 3 acquired semaphore", "Worker 4 acquired semaphore",
                "Worker 3 released semaphore", "Worker 4 released semaphore",
                "Worker 5 acquired semaphore", "Worker 5 released semaphore"),
                Captured.run(BoundedSemaphoreWorkers::main).lines());
    }

    @Test
    void semaphoreLimit() throws Exception {
        assertEquals(List.of(
                "Worker 0 acquired semaphore", "Worker 1 acquired semaphore",
                "Worker 0 released semaphore", "Worker 1 released semaphore",
                "Worker 2 acquired semaphore", "Worker 3 acquired semaphore",
                "Worker 2 released semaphore", "Worker 3 released semaphore",
                "Worker 4 acquired semaphore", "Worker 5 acquired semaphore",
                "Worker 4 released semaphore", "Worker 5 released semaphore"),
                Captured.run(SemaphoreLimit::main).lines());
    }
}
