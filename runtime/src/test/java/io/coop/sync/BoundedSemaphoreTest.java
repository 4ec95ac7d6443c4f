package io.coop.sync;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** BoundedSemaphore.acquire under the wait contract, and the bound. */
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
class BoundedSemaphoreTest extends AbstractWaitContractTest {
    private BoundedSemaphore sem;

    @Override
    protected void prepare() {
        sem = new BoundedSemaphore(1);
        sem.acquire();
    }

    @Override
    protected Object waitFor(Duration timeout) {
        if (timeout == null) {
            sem.acquire();
            return Boolean.TRUE;
        }
        return sem.acquire(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        sem.release();
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertEquals(0, sem.availablePermits(), sem.toString());
        assertEquals(0, sem.waiterCount());
        sem.release();
        assertThrows(IllegalStateException.class, sem::release, "the permit handed over counts: one release brings it back to the bound");
    }

    @Override
    protected String waitedFor() {
        return "BoundedSemaphore.acquire on";
    }

    @Test
    void releaseBeyondTheInitialCountThrowsAndChangesNothing() {
        inHub(() -> {
            BoundedSemaphore s = new BoundedSemaphore(2);
            assertEquals(2, s.bound());
            assertThrows(IllegalStateException.class, s::release);
            assertEquals(2, s.availablePermits());
            s.acquire();
            s.release();
            assertThrows(IllegalStateException.class, s::release);
            assertEquals(2, s.availablePermits());
            BoundedSemaphore zero = new BoundedSemaphore(0);
            Greenlet<Boolean> waiter = Coop.spawn(() -> zero.acquire(Duration.ofMillis(100)));
            Coop.sleep(0);
            assertThrows(IllegalStateException.class, zero::release, "no permit may be made up for a waiter either");
            waiter.join();
            assertEquals(Boolean.FALSE, waiter.value());
        });
    }

    /** The gevent tutorial's BoundedSemaphore(2) example: workers 0,1 with acquire/release, then 3,4,5 with "with sem". */
    @Test
    void tutorialAcquireOrder() {
        inHub(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            List<String> out = new ArrayList<>();
            List<Greenlet<?>> first = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                int i = n;
                first.add(spawnRecorded(() -> {
                    sem.acquire();
                    out.add("Worker " + i + " acquired semaphore");
                    Coop.sleep(0);
                    sem.release();
                    out.add("Worker " + i + " released semaphore");
                    return null;
                }));
            }
            Coop.joinAll(first);
            List<Greenlet<?>> second = new ArrayList<>();
            for (int n = 3; n < 6; n++) {
                int i = n;
                second.add(spawnRecorded(() -> {
                    try (var held = sem.hold()) {
                        out.add("Worker " + i + " acquired semaphore");
                        Coop.sleep(0);
                    }
                    out.add("Worker " + i + " released semaphore");
                    return null;
                }));
            }
            Coop.joinAll(second);
            assertEquals(List.of(
                    "Worker 0 acquired semaphore", "Worker 1 acquired semaphore",
                    "Worker 0 released semaphore", "Worker 1 released semaphore",
                    "Worker 3 acquired semaphore", "Worker 4 acquired semaphore",
                    "Worker 3 released semaphore", "Worker 4 released semaphore",
                    "Worker 5 acquired semaphore", "Worker 5 released semaphore"), out);
            assertEquals(2, sem.availablePermits());
        });
    }
}
