package io.coop.testing;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.LoopExit;
import io.coop.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every blocking coop primitive shares, in the spirit of gevent's
 * {@code AbstractGenericWaitTestCase}. It comes in {@linkplain Part parts}:
 * <ul>
 * <li>{@link Part#TIMEOUTS}, the timeout half, which every wait keeps: a timed wait ends on time,
 * a zero timeout does not wait, a negative one is rejected, an outer {@link Timeout} is the one
 * raised and is never lost, a kill (or any exception thrown in with {@code kill(Throwable)}) runs
 * the waiter's finally blocks, {@code Thread.interrupt} neither ends the wait nor is lost, and
 * after each of these the primitive is consistent and a later waiter still gets through;
 * <li>{@link Part#HANDOVER}: what a woken wait was handed is kept even when a Timeout or kill
 * arrives in the same hub pass;
 * <li>{@link Part#LOOP_EXIT}: a wait that nothing can end raises {@link LoopExit} naming it,
 * never a silent hang.
 * </ul>
 * A subclass whose wait does not fit an optional part says so, with the reason, in
 * {@link #exemptions()}: the tests of that part are then reported as skipped with that reason.
 * The timeout half cannot be exempted ({@link #exemptionsAreOptionalPartsWithReasons()}).
 *
 * <p>A subclass describes one blocking operation: {@link #prepare()} makes a primitive on which
 * {@link #waitFor} blocks, {@link #release()} lets the waiter through (one waits at a time here,
 * so a release that wakes every waiter, like a greenlet's death for its joiners, fits too). The
 * timeout half allows a release that takes effect in a later hub pass or from another thread (a
 * pool thread, a child's exit, a socket turning readable); HANDOVER needs one that wakes the
 * waiter inside the call. Every test runs inside {@link Coop#run}; the waits always run in
 * spawned greenlets and {@code prepare()} / {@code release()} in the body of {@code Coop.run}
 * (so a lock can be held by it). The order in which several waiters are let through differs by
 * primitive (first come first served, or all at once) and is checked by each subclass.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
public abstract class AbstractWaitContractTest {
    /** The timeout of timed waits, as in gevent's LARGE_TICK. */
    protected static final Duration WAIT = Duration.ofMillis(200);
    /** How late a wait may end on this shared, noisy machine. */
    protected static final long SLACK_MS = 1000;

    /** The parts of the contract (see the class comment). */
    protected enum Part {
        /**
         * The timeout half: its own timeout, zero and negative timeouts, an outer Timeout, kill and
         * kill(Throwable), Thread.interrupt; the primitive stays consistent. Every wait keeps it.
         */
        TIMEOUTS,
        /**
         * A Timeout or kill arriving in the same hub pass as the wake-up does not take away what
         * the wait was handed. Needs a {@link #release()} that wakes the waiter before it returns.
         */
        HANDOVER,
        /** A wait without a timeout that nothing can end is a {@link LoopExit} naming {@link #waitedFor()}. */
        LOOP_EXIT
    }

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

    /**
     * The optional parts this wait does not keep, each with the reason (shown as the reason the
     * part's tests are skipped). None by default.
     */
    protected Map<Part, String> exemptions() {
        return Map.of();
    }

    /**
     * A fragment of how the wait describes itself in {@link LoopExit} messages and dumps (e.g.
     * {@code "Event.await"}); called after the wait failed, so it may name the primitive prepared.
     * Needed by {@link Part#LOOP_EXIT}; a subclass exempt from it need not override this.
     */
    protected String waitedFor() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps LOOP_EXIT and must say what its wait is called");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs {@code body} as the body of {@link Coop#run} and checks that it ran to its end. The OS
     * thread of the body and of every greenlet made with {@link #spawnRecorded} is recorded; after
     * each test they must all be one.
     */
    protected void inHub(ThrowingRunnable body) {
        boolean[] ranToItsEnd = new boolean[1];
        Coop.run(() -> {
            threads.add(OsThread.id());
            body.run();
            ranToItsEnd[0] = true;
            return null;
        });
        // Coop.run joins its body: were that join to return early, the body would be killed
        // unfinished and every assertion after the cut would pass unseen
        assertTrue(ranToItsEnd[0], "Coop.run returned before its body ran to its end");
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

    /** Skips (with the subclass's reason) a test of a part the subclass is exempt from. */
    private void requirePart(Part part) {
        String why = exemptions().get(part);
        assumeTrue(why == null, () -> getClass().getSimpleName() + " is exempt from " + part + ": " + why);
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void exemptionsAreOptionalPartsWithReasons() {
        Map<Part, String> exempt = exemptions();
        assertFalse(exempt.containsKey(Part.TIMEOUTS), "every wait keeps the timeout half: " + getClass().getName());
        exempt.forEach((part, why) -> assertTrue(why != null && why.strip().length() > 20,
                part + " is exempted without a real reason: " + why));
    }

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
                assertTrue(ms <= SLACK_MS, "a wait with a zero timeout took " + ms + " ms");
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

    /** A waiter without a timeout that notes in {@code events} whether its wait returned and that its finally ran. */
    private Greenlet<Object> spawnWaiterRecordingIn(List<String> events) {
        return spawnRecorded(() -> {
            try {
                Object outcome = waitFor(null);
                events.add("returned " + outcome);
                return outcome;
            } finally {
                events.add("finally");
            }
        });
    }

    @Test
    void killDuringTheWaitRunsFinallyAndLeavesThePrimitiveConsistent() {
        inHub(() -> {
            prepare();
            List<String> events = new ArrayList<>();
            Greenlet<Object> g = spawnWaiterRecordingIn(events);
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
    void killWithAnExceptionRaisesThatExceptionAtTheWait() {
        inHub(() -> {
            prepare();
            List<String> events = new ArrayList<>();
            Greenlet<Object> g = spawnWaiterRecordingIn(events);
            Coop.sleep(0);
            assertFalse(g.isReady(), "the waiter should block");
            IllegalStateException thrownIn = new IllegalStateException("thrown in by kill (expected)");
            g.kill(thrownIn);
            assertEquals(List.of("finally"), events, "finally ran before kill() returned, and the wait did not return");
            assertTrue(g.isDead());
            assertSame(thrownIn, g.exception(), "the wait raised the very exception thrown in");
            assertNextWaiterGetsThrough();
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void interruptNeitherEndsTheWaitNorIsLost() {
        inHub(() -> {
            prepare();
            boolean[] interruptedAfter = new boolean[1];
            Greenlet<Object> g = spawnRecorded(() -> {
                Object outcome = waitFor(null);
                interruptedAfter[0] = Thread.currentThread().isInterrupted();
                return outcome;
            });
            Coop.sleep(0);
            assertFalse(g.isReady(), "the waiter should block");
            g.thread().interrupt();
            Coop.sleep(0); // g runs again (the interrupt unparked it) and must go back to waiting
            Coop.sleep(0);
            assertFalse(g.isReady(), "an interrupt ended the wait: coop's own waits end by a kill or a Timeout only: " + g);
            Object expected = release();
            assertTrue(g.join(Duration.ofSeconds(5)), "the interrupted waiter was not let through: " + g);
            assertTrue(g.isSuccessful(), () -> "the interrupted waiter failed: " + g.exception());
            assertEquals(expected, g.value(), "what the interrupted waiter got");
            assertTrue(interruptedAfter[0], "the interrupt status was lost: it must be set when the wait returns");
            assertConsistent();
            assertOneThread();
        });
    }

    @Test
    void aWaitNothingCanEndIsALoopExitNamingIt() {
        requirePart(Part.LOOP_EXIT);
        String[] waiter = new String[1];
        LoopExit exit = assertThrows(LoopExit.class, () -> inHub(() -> {
            prepare();
            Greenlet<Object> g = spawnRecorded(() -> waitFor(null));
            waiter[0] = g.name();
            g.join();
        }), "a wait nothing can end must not return, nor hang");
        String msg = exit.getMessage();
        assertTrue(msg.contains(waiter[0] + " waits for ") && msg.contains(waitedFor()),
                "the LoopExit names the waiting greenlet (" + waiter[0] + ") and its wait (" + waitedFor() + "): " + msg);
    }

    @Test
    void timeoutFiringInTheSamePassAsTheWakeUpKeepsWhatWasHandedOver() {
        requirePart(Part.HANDOVER);
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
        requirePart(Part.HANDOVER);
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
