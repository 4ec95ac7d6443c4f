package io.coop.sync;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RLock.acquire under the wait contract (the lock held by the body of Coop.run), and RLock's own behaviour. */
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
class RLockTest extends AbstractWaitContractTest {
    private RLock lock;
    private Greenlet<?> holder;

    @Override
    protected void prepare() {
        lock = new RLock();
        lock.acquire();
        holder = Coop.current();
    }

    @Override
    protected Object waitFor(Duration timeout) {
        if (timeout == null) {
            lock.acquire();
            return Boolean.TRUE;
        }
        return lock.acquire(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        lock.release();
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertTrue(lock.isLocked());
        assertNotNull(lock.owner());
        assertNotSame(holder, lock.owner(), "the lock went to the one waiter let through");
        assertEquals(1, lock.holdCount());
        assertEquals(0, lock.waiterCount());
        assertFalse(lock.isOwnedByCurrent());
    }

    @Override
    protected String waitedFor() {
        return "acquire on RLock[";
    }

    // ---------------------------------------------------------------- RLock's own behaviour

    @Test
    void reentrantForItsOwnerOnly() {
        inHub(() -> {
            RLock l = new RLock();
            l.acquire();
            assertTrue(l.acquire(Duration.ZERO));
            assertTrue(l.tryAcquire());
            try (var held = l.hold()) {
                assertEquals(4, l.holdCount());
            }
            assertEquals(3, l.holdCount());
            assertSame(Coop.current(), l.owner());
            Greenlet<Boolean> other = Coop.spawn(() -> l.tryAcquire());
            other.join();
            assertEquals(Boolean.FALSE, other.value());
            Greenlet<Boolean> waiter = spawnRecorded(() -> {
                try (var held = l.hold()) {
                    return l.isOwnedByCurrent();
                }
            });
            l.release();
            l.release();
            Coop.sleep(0);
            assertFalse(waiter.isReady(), "still held once");
            l.release();
            assertSame(waiter, l.owner(), "the last release hands the lock to the waiter at once");
            waiter.join();
            assertEquals(Boolean.TRUE, waiter.value());
            assertFalse(l.isLocked());
            assertNull(l.owner());
            assertEquals(0, l.holdCount());
        });
    }

    @Test
    void releaseByANonOwnerThrows() {
        inHub(() -> {
            RLock l = new RLock();
            assertThrows(IllegalStateException.class, l::release, "not held at all");
            l.acquire();
            Greenlet<Throwable> other = Coop.spawn(() -> assertThrows(IllegalStateException.class, l::release));
            other.join();
            assertTrue(other.isSuccessful(), () -> String.valueOf(other.exception()));
            assertEquals(1, l.holdCount(), "a failed release changes nothing");
            l.release();
            assertThrows(IllegalStateException.class, l::release, "released more times than acquired");
        });
    }

    @Test
    void waitersGetTheLockFirstInFirstOut() {
        inHub(() -> {
            RLock l = new RLock();
            List<String> order = new ArrayList<>();
            l.acquire();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(spawnRecorded(() -> {
                    try (var held = l.hold()) {
                        order.add(name);
                        Coop.sleep(0);
                    }
                    return null;
                }));
            }
            Coop.sleep(0);
            assertEquals(3, l.waiterCount());
            Greenlet<Boolean> late = Coop.spawn(() -> l.tryAcquire());
            l.release();
            Coop.joinAll(gs);
            late.join();
            assertEquals(Boolean.FALSE, late.value(), "tryAcquire cannot take a lock being handed to a waiter");
            assertEquals(List.of("a", "b", "c"), order);
            assertFalse(l.isLocked());
        });
    }

    @Test
    void aLockHeldByADeadGreenletStaysHeld() {
        inHub(() -> {
            RLock l = new RLock();
            Greenlet<?> g = Coop.spawn(() -> l.acquire());
            g.join();
            assertSame(g, l.owner());
            assertFalse(l.acquire(Duration.ofMillis(20)));
        });
    }

    @Test
    void badArguments() {
        inHub(() -> {
            RLock l = new RLock();
            assertThrows(IllegalArgumentException.class, () -> l.acquire(Duration.ofSeconds(-1)));
            assertFalse(l.isLocked());
        });
    }
}
