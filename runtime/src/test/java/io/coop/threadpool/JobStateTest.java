package io.coop.threadpool;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Walks the state table of {@link ThreadPool.Job}: QUEUED -> RUNNING -> DONE, QUEUED -> CANCELLED, and nothing else. */
class JobStateTest {

    /** Waits (cooperatively) until {@code cond} holds, up to 5 s. */
    private static void eventually(java.util.function.BooleanSupplier cond, String what) {
        for (int i = 0; i < 250 && !cond.getAsBoolean(); i++) Coop.sleep(20);
        assertTrue(cond.getAsBoolean(), what);
    }

    private static void assertState(ThreadPool.Job job, String name, boolean started, boolean done, boolean cancelled) {
        assertTrue(job.toString().endsWith(", " + name + "]"), job::toString);
        assertEquals(started, job.isStarted(), job::toString);
        assertEquals(done, job.isDone(), job::toString);
        assertEquals(cancelled, job.isCancelled(), job::toString);
    }

    @Test
    void aJobWalksItsTable() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                CountDownLatch go = new CountDownLatch(1);
                List<Object> delivered = new ArrayList<>();
                ThreadPool.Job first = pool.dispatch(() -> { go.await(); return "first"; }, (v, t) -> delivered.add(v));
                // QUEUED -> RUNNING: the one worker takes it
                eventually(first::isStarted, "the worker took the first job: " + first);
                assertState(first, "running", true, false, false);

                ThreadPool.Job second = pool.dispatch(() -> "second", (v, t) -> delivered.add(v));
                assertState(second, "queued", false, false, false);
                // QUEUED -> CANCELLED, once
                assertTrue(second.cancel());
                assertState(second, "cancelled", false, false, true);
                assertFalse(second.cancel(), "a cancelled job stays cancelled");
                assertEquals(0, pool.queuedCount(), "and left the line");

                // RUNNING -> CANCELLED is not in the table: a running job runs to its end
                assertFalse(first.cancel());
                assertState(first, "running", true, false, false);
                // RUNNING -> DONE: the hub hands the outcome over
                go.countDown();
                eventually(first::isDone, "the first job was delivered: " + first);
                assertState(first, "done", true, true, false);
                assertFalse(first.cancel(), "a done job cannot be cancelled");
                assertEquals(List.of("first"), delivered, "a cancelled job's onDone is never called");
                return null;
            });
        }
    }
}
