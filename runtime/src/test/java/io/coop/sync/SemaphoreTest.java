package io.coop.sync;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.LoopExit;
import io.coop.testing.AbstractWaitContractTest;
import io.coop.testing.Elapsed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphore.acquire under the wait contract, and Semaphore's own behaviour. */
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
class SemaphoreTest extends AbstractWaitContractTest {
    private Semaphore sem;

    @Override
    protected void prepare() {
        sem = new Semaphore(0);
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
        assertEquals(0, sem.availablePermits(), "the one permit released went to exactly one waiter: " + sem);
        assertEquals(0, sem.waiterCount());
        sem.release();
        assertEquals(1, sem.availablePermits());
    }

    @Override
    protected String waitedFor() {
        return "Semaphore.acquire on";
    }

    // ---------------------------------------------------------------- Semaphore's own behaviour

    @Test
    void permitsAreHandedToWaitersFirstInFirstOut() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                gs.add(spawnRecorded(() -> {
                    s.acquire();
                    order.add(name);
                    return null;
                }));
            }
            Coop.sleep(0);
            assertEquals(4, s.waiterCount());
            for (int i = 0; i < 4; i++) {
                s.release();
                Coop.sleep(0);
            }
            Coop.joinAll(gs);
            assertEquals(List.of("a", "b", "c", "d"), order);
        });
    }

    @Test
    void noBargingAReleasedPermitBelongsToTheFirstWaiter() {
        inHub(() -> {
            Semaphore s = new Semaphore(1);
            assertTrue(s.tryAcquire());
            Greenlet<Boolean> waiter = Coop.spawn(() -> s.acquire(Duration.ofSeconds(5)));
            Coop.sleep(0);
            s.release(); // handed to the waiter, which has not run yet
            assertEquals(0, s.availablePermits());
            assertTrue(s.isLocked());
            assertFalse(s.tryAcquire(), "the released permit is the waiter's");
            assertFalse(s.acquire(Duration.ZERO));
            waiter.join();
            assertEquals(Boolean.TRUE, waiter.value());
        });
    }

    @Test
    void atMostNHoldersAtOnce() {
        inHub(() -> {
            Semaphore s = new Semaphore(2);
            int[] inside = new int[1];
            int[] most = new int[1];
            List<Greenlet<?>> gs = new ArrayList<>();
            Elapsed start = new Elapsed();
            for (int i = 0; i < 6; i++) {
                gs.add(spawnRecorded(() -> {
                    try (var held = s.hold()) {
                        most[0] = Math.max(most[0], ++inside[0]);
                        Coop.sleep(100);
                        inside[0]--;
                    }
                    return null;
                }));
            }
            Coop.joinAll(gs);
            assertEquals(2, most[0]);
            assertTook(300, start.millis(), "6 holders, 2 at a time, 100 ms each");
            assertEquals(2, s.availablePermits());
            assertFalse(s.isLocked());
        });
    }

    @Test
    void holdReleasesOnExceptionAndOnlyOnce() {
        inHub(() -> {
            Semaphore s = new Semaphore(1);
            assertThrows(IllegalStateException.class, () -> {
                try (var held = s.hold()) {
                    assertEquals(0, s.availablePermits());
                    throw new IllegalStateException("inside");
                }
            });
            assertEquals(1, s.availablePermits());
            Held held = s.hold();
            held.close();
            held.close();
            assertEquals(1, s.availablePermits(), "a second close releases nothing");
        });
    }

    @Test
    void anUnboundedSemaphoreMayGrow() {
        inHub(() -> {
            Semaphore s = new Semaphore(1);
            s.release();
            s.release();
            assertEquals(3, s.availablePermits());
        });
    }

    @Test
    void acquireOnAnEmptySemaphoreNobodyReleasesIsALoopExit() {
        LoopExit exit = assertThrows(LoopExit.class, () -> inHub(() -> new Semaphore(0).acquire()));
        assertTrue(exit.getMessage().contains("Semaphore.acquire"), exit.getMessage());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        inHub(() -> {
            Semaphore s = new Semaphore(1);
            assertThrows(IllegalArgumentException.class, () -> s.acquire(Duration.ofMillis(-1)));
            assertEquals(1, s.availablePermits());
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    s.release();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            t.join();
            assertTrue(thrown[0] instanceof IllegalStateException, "release from another thread: " + thrown[0]);
            assertEquals(1, s.availablePermits());
        });
    }
}
