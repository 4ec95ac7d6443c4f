package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.Elapsed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    @Test
    void firesAtTheBlockingPoint() {
        Coop.run(() -> {
            Elapsed e = new Elapsed();
            Timeout t = Timeout.startNew(Duration.ofMillis(50));
            Timeout got = assertThrows(Timeout.class, () -> Coop.sleep(5000));
            assertSame(t, got);
            assertTrue(e.millis() >= 45 && e.millis() < 1000, "fired after " + e.millis());
            assertFalse(t.isPending());
            return null;
        });
    }

    @Test
    void tryWithResourcesCancels() {
        Coop.run(() -> {
            // a blocking point inside that cannot outlast the Timeout (sleep(0): a turn, not 1 ms of
            // a clock a loaded machine may stall for 30 ms), then a sleep past its deadline
            try (Timeout t = Timeout.startNew(Duration.ofMillis(300))) {
                Coop.sleep(0);
                assertTrue(t.isPending());
            }
            Coop.sleep(400); // the cancelled timeout never fires
            return null;
        });
    }

    @Test
    void startAndCancel() {
        Coop.run(() -> {
            Timeout t = new Timeout(Duration.ofMillis(20));
            assertFalse(t.isPending());
            t.start();
            assertTrue(t.isPending());
            assertThrows(IllegalStateException.class, t::start);
            t.cancel();
            assertFalse(t.isPending());
            Coop.sleep(40);
            return null;
        });
    }

    @Test
    void customExceptionIsRaisedInstead() {
        Coop.run(() -> {
            IllegalStateException custom = new IllegalStateException("too slow");
            try (Timeout t = Timeout.startNew(Duration.ofMillis(10), custom)) {
                assertSame(custom, assertThrows(IllegalStateException.class, () -> Coop.sleep(1000)));
            }
            return null;
        });
    }

    @Test
    void nestedTimeoutsRaiseTheOneThatFiredAndKeepTheOtherPending() {
        Coop.run(() -> {
            // the outer one is shorter: it is raised through the inner scope
            Timeout outer = Timeout.startNew(Duration.ofMillis(30));
            try {
                try (Timeout inner = Timeout.startNew(Duration.ofMillis(1000))) {
                    Coop.sleep(5000);
                    fail("not reached");
                } catch (Timeout e) {
                    assertSame(outer, e);
                    throw e;
                }
            } catch (Timeout e) {
                assertSame(outer, e);
            }
            // the inner one is shorter: it is raised, the outer stays pending
            try (Timeout outer2 = Timeout.startNew(Duration.ofMillis(1000))) {
                Timeout inner2 = Timeout.startNew(Duration.ofMillis(20));
                try {
                    Coop.sleep(5000);
                } catch (Timeout e) {
                    assertSame(inner2, e);
                } finally {
                    inner2.cancel();
                }
                assertTrue(outer2.isPending());
            }
            return null;
        });
    }

    @Test
    void aWaitWokenInTheSameInstantCompletesAndTheTimeoutCanBeWithdrawn() {
        Coop.run(() -> {
            Hub hub = Coop.hub();
            Waiter<String> w = new Waiter<>("value");
            Timeout t = Timeout.startNew(Duration.ofMillis(30));
            long deadline = Coop.deadline(Duration.ofMillis(30), "t");
            // a timer set after the Timeout's, with the same deadline: fires right after it, in the same pass
            hub.timers.schedule(deadline, () -> w.wake("handed over"));
            try {
                assertEquals("handed over", w.await()); // woken: completes although the Timeout fired too
            } finally {
                t.cancel(); // withdraws the Timeout that fired but was not raised
            }
            Coop.sleep(5); // nothing pending any more
            return null;
        });
    }

    @Test
    void aTimeoutThatFiredWithAWokenWaitIsRaisedAtTheNextBlockingPoint() {
        Coop.run(() -> {
            Waiter<String> w = new Waiter<>("value");
            Timeout t = Timeout.startNew(Duration.ofMillis(20));
            Coop.hub().timers.schedule(Coop.deadline(Duration.ofMillis(20), "t"), () -> w.wake("v"));
            assertEquals("v", w.await());
            assertSame(t, assertThrows(Timeout.class, () -> Coop.sleep(1)));
            return null;
        });
    }

    @Test
    void nullDurationNeverFiresAndNegativeIsRejected() {
        Coop.run(() -> {
            try (Timeout t = Timeout.startNew(null)) {
                Coop.sleep(10);
                assertFalse(t.isPending());
            }
            assertThrows(IllegalArgumentException.class, () -> new Timeout(Duration.ofMillis(-1)));
            return null;
        });
    }

    @Test
    void worksOnTheMainGreenletOutsideRun() {
        Timeout t = Timeout.startNew(Duration.ofMillis(20));
        assertSame(t, assertThrows(Timeout.class, () -> Coop.sleep(1000)));
    }
}
