package io.coop.testing;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The behaviour every blocking coop primitive shares, in the spirit of gevent's
 * {@code AbstractGenericWaitTestCase}: a timed wait ends on time, an outer {@link Timeout} is the
 * one raised and is never lost, a kill runs the waiter's finally blocks and leaves the primitive
 * consistent, and what a woken wait was handed is kept even when a Timeout or kill arrives in the
 * same hub pass.
 *
 * <p>A subclass describes one blocking operation: {@link #prepare()} makes a primitive on which
 * {@link #waitFor} blocks, {@link #release()} lets exactly one waiter through. Every test runs
 * inside {@link Coop#run}; the waits always run in spawned greenlets and {@code prepare()} /
 * {@code release()} in the body of {@code Coop.run} (so a lock can be held by it).
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
public abstract class AbstractWaitContractTest {
    /** The timeout of timed waits, as in gevent's LARGE_TICK. */
    protected static final Duration WAIT = Duration.ofMillis(200);
    /** How late a wait may end on this shared, noisy machine. */
    protected static final long SLACK_MS = 1000;

    // ---------------------------------------------------------------- what a subclass provides

    /** Makes a fresh primitive on which {@link #waitFor} blocks. Runs in the body of Coop.run. */
    protected abstract void prepare();

    /**
     * Performs the blocking operation with {@code timeout} (null: the form without a timeout) and
     * returns its outcome: the item got, {@code Boolean.TRUE}/{@code FALSE} for the boolean forms,
     * {@code Boolean.TRUE} for void ones.
     */
    protected abstract Object waitFor(Duration timeout);

    /** What the timed form raises when its own timeout passes, or null when it returns false instead. */
    protected abstract Class<? extends RuntimeException> ownTimeout();

    /**
     * Lets exactly one waiter through (puts an item, releases a permit, sets the event...) and
     * returns the outcome that waiter's {@link #waitFor} must return. Runs in the body of Coop.run.
     */
    protected abstract Object release();

    /**
     * Checks the primitive after a test: nobody left waiting in it, nothing lost or duplicated.
     * Runs in the body of Coop.run after the last waiter finished.
     */
    protected abstract void assertConsistent();

    // ---------------------------------------------------------------- helpers

    /**
     * Runs {@code body} as the body of {@link Coop#run}. The OS thread of the body and of every
     * greenlet made with {@link #spawnRecorded} is recorded; after each test they must all be one.
     */
    protected void inHub(ThrowingRunnable body) {
        Coop.run(() -> {
            threads.add(OsThread.id());
            body.run();
            return null;
        });
    }

    /** A body that may throw anything. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Asserts a wait of {@code expectedMs} took {@code ms}: at most {@link #SLACK_MS} late, and a
     * little early at most, because a greenlet's deadline counts from the start of the hub pass
     * it runs in (before the caller read the clock).
     */
    public static void assertTook(long expectedMs, long ms, String what) {
        long low = expectedMs - Math.max(5, expectedMs / 10), high = expectedMs + SLACK_MS;
        assertTrue(ms >= low && ms <= high, what + " took " + ms + " ms, expected " + low + ".." + high + " ms");
    }

    /** OS threads seen by the greenlets of a test. */
    private final Set<String> threads = Collections.synchronizedSet(new TreeSet<>());

    /** Spawns {@code body} as a greenlet that also records its OS thread. */
    protected <T> Greenlet<T> spawnRecorded(Callable<T> body) {
        return Coop.spawn(() -> {
            threads.add(OsThread.id());
            return body.call();
        });
    }

    private void assertOneThread() {
        threads.add(OsThread.id());
        assertEquals(1, threads.size(), "every greenlet ran on one OS thread: " + threads);
    }

    @AfterEach
    void everyRecordedGreenletRanOnOneOsThread() {
        assertTrue(threads.size() <= 1, "the body of Coop.run and its greenlets ran on one OS thread: " + threads);
    }

    /** Spawns a greenlet that waits with no timeout, lets it reach its wait, and checks it is blocked. */
    private Greenlet<Object> blockedWaiter() {
        Greenlet<Object> g = spawnRecorded(() -> waitFor(null));
        Coop.sleep(0);
        assertFalse(g.isReady(), "the waiter should block: " + g);
        return g;
    }

    /** A later waiter still gets through after release(): the line was left consistent. */
    private void assertNextWaiterGetsThrough() {
        Greenlet<Object> next = blockedWaiter();
        Object expected = release();
        assertTrue(next.join(Duration.ofSeconds(5)), "the next waiter was not let through: " + next);
        assertTrue(next.isSuccessful(), () -> "the next waiter failed: " + next.exception());
        assertEquals(expected, next.value(), "what the next waiter got");
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void timedWaitEndsWithinToleranceOfItsTimeout() {
        inHub(() -> {
            prepare();
            long[] took = new long[1];
            Greenlet<Object> g = spawnRecorded(() -> {
                Elapsed start = new Elapsed();
                try {
                    return waitFor(WAIT);
                } catch (RuntimeException e) {
                    return e;
                } finally {
                    took[0] = start.millis();
                }
            });
            g.join();
            assertTrue(g.isSuccessful(), () -> "waiter failed: " + g.exception());
            if (ownTimeout() == null) {
                assertEquals(Boolean.FALSE, g.value(), "a timed-out wait returns false");
            } else {
                assertInstanceOf(ownTimeout(), g.value(), "a timed-out wait raises " + ownTimeout().getSimpleName());
            }
            assertTook(WAIT.toMillis(), took[0], "a wait of " + WAIT.toMillis() + " ms");
            assertNextWaiterGetsThrough();
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void zeroTimeoutDoesNotWait() {
        inHub(() -> {
            prepare();
            Greenlet<Object> g = spawnRecorded(() -> {
                Elapsed start = new Elapsed();
                Object outcome;
                try {
                    outcome = waitFor(Duration.ZERO);
                } catch (RuntimeException e) {
                    outcome = e;
                }
                long ms = start.millis();
                assertTrue(ms <= 100, "a wait with a zero timeout took " + ms + " ms");
                return outcome;
            });
            g.join();
            assertTrue(g.isSuccessful(), () -> "waiter failed: " + g.exception());
            if (ownTimeout() == null) assertEquals(Boolean.FALSE, g.value());
            else assertInstanceOf(ownTimeout(), g.value());
            assertNextWaiterGetsThrough();
            assertConsistent();
        });
    }

    @Test
    void negativeTimeoutIsRejected() {
        inHub(() -> {
            prepare();
            Greenlet<Object> g = spawnRecorded(() -> assertThrows(IllegalArgumentException.class,
                    () -> waitFor(Duration.ofMillis(-1))));
            g.join();
            assertTrue(g.isSuccessful(), () -> "a negative timeout must be an IllegalArgumentException: " + g.exception());
            assertNextWaiterGetsThrough();
            assertConsistent();
        });
    }

    @Test
    void outerTimeoutShorterThanATimedWaitIsTheOneRaised() {
        outerTimeoutIsRaised(Duration.ofSeconds(10));
    }

    @Test
    void outerTimeoutInterruptsAWaitWithoutTimeout() {
        outerTimeoutIsRaised(null);
    }

    private void outerTimeoutIsRaised(Duration ownTimeout) {
        inHub(() -> {
            prepare();
            Timeout[] started = new Timeout[1];
            long[] took = new long[1];
            Greenlet<Object> g = spawnRecorded(() -> {
                Timeout outer = Timeout.startNew(Duration.ofMillis(50));
                started[0] = outer;
                Elapsed start = new Elapsed();
                try {
                    return waitFor(ownTimeout);
                } catch (Timeout e) {
                    return e;
                } finally {
                    took[0] = start.millis();
                    outer.close();
                }
            });
            g.join();
            assertTrue(g.isSuccessful(), () -> "the outer Timeout escaped as something else: " + g.exception());
            assertSame(started[0], g.value(), "the outer Timeout itself is raised, not lost or replaced");
            assertTook(50, took[0], "a wait cut by a 50 ms outer Timeout");
            assertNextWaiterGetsThrough();
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void outerTimeoutWithItsOwnExceptionRaisesThatException() {
        inHub(() -> {
            prepare();
            IllegalStateException mine = new IllegalStateException("expected");
            Greenlet<Object> g = spawnRecorded(() -> {
                try (Timeout outer = Timeout.startNew(Duration.ofMillis(30), mine)) {
                    return waitFor(Duration.ofSeconds(10));
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            g.join();
            assertSame(mine, g.value());
            assertNextWaiterGetsThrough();
            assertConsistent();
        });
    }

    @Test
    void killDuringTheWaitRunsFinallyAndLeavesThePrimitiveConsistent() {
        inHub(() -> {
            prepare();
            List<String> events = new ArrayList<>();
            Greenlet<Object> g = spawnRecorded(() -> {
                try {
                    Object outcome = waitFor(null);
                    events.add("returned " + outcome);
                    return outcome;
                } finally {
                    events.add("finally");
                }
            });
            Coop.sleep(0);
            assertFalse(g.isReady(), "the waiter should block");
            g.kill();
            assertEquals(List.of("finally"), events, "finally ran before kill() returned, and the wait did not return");
            assertTrue(g.isDead());
            assertTrue(g.isSuccessful(), "a greenlet killed with GreenletExit counts as successful");
            assertInstanceOf(GreenletExit.class, g.value());
            assertNull(g.exception());
            assertNextWaiterGetsThrough();
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void timeoutFiringInTheSamePassAsTheWakeUpKeepsWhatWasHandedOver() {
        inHub(() -> {
            prepare();
            Object[] outcome = new Object[1];
            Timeout[] started = new Timeout[1];
            Greenlet<Object> g = spawnRecorded(() -> {
                Timeout t = Timeout.startNew(Duration.ZERO); // fires in the next hub pass
                started[0] = t;
                try {
                    outcome[0] = waitFor(null);
                    Coop.sleep(0); // the next blocking point: the pending Timeout is raised here
                    return "the Timeout was lost";
                } catch (Timeout e) {
                    return e;
                } finally {
                    t.close();
                }
            });
            Coop.sleep(0);
            // this pass: the Timeout has just fired (pending in g, which has not run yet);
            // hand over now, before g resumes
            assertFalse(g.isReady());
            assertFalse(started[0].isPending(), "the Timeout has fired already");
            Object expected = release();
            g.join();
            assertTrue(g.isSuccessful(), () -> "waiter failed: " + g.exception());
            assertEquals(expected, outcome[0], "the woken wait completed with what it was handed");
            assertSame(started[0], g.value(), "the Timeout stayed pending and was raised at the next blocking point");
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void killArrivingWithTheWakeUpKeepsWhatWasHandedOver() {
        inHub(() -> {
            prepare();
            List<String> events = new ArrayList<>();
            Object[] outcome = new Object[1];
            Greenlet<Object> g = spawnRecorded(() -> {
                try {
                    outcome[0] = waitFor(null);
                    events.add("completed");
                    Coop.sleep(10_000); // the kill is raised here
                    events.add("kill lost");
                    return null;
                } finally {
                    events.add("finally");
                }
            });
            Coop.sleep(0);
            assertFalse(g.isReady());
            Object expected = release();
            g.kill(); // in the same instant: g was woken but has not run yet
            assertEquals(List.of("completed", "finally"), events);
            assertEquals(expected, outcome[0], "the woken wait completed with what it was handed");
            assertInstanceOf(GreenletExit.class, g.value());
            assertConsistent();
            assertOneThread();
        });
    }

    /** Fails the test from inside a greenlet body (for subclasses). */
    protected static RuntimeException unexpected(String what) {
        fail(what);
        return new IllegalStateException(what);
    }
}
