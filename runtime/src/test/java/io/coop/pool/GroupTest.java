package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group membership, join, kill and apply, with real sleeps on one hub. */
class GroupTest {

    static long msSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void assertBetween(long lo, long hi, long actual, String what) {
        assertTrue(actual >= lo && actual <= hi, what + ": " + actual + " ms, expected within [" + lo + ", " + hi + "]");
    }

    @Test
    void groupShrinksAsMembersDie() {
        Coop.run(() -> {
            Group group = new Group();
            Greenlet<Integer> a = group.spawn(() -> { Coop.sleep(100); return 1; });
            Greenlet<Integer> b = group.spawn(() -> { Coop.sleep(300); return 2; });
            Greenlet<?> c = group.spawn(() -> Coop.sleep(500));
            assertEquals(3, group.size());
            assertEquals(List.of(a, b, c), group.greenlets());
            List<Greenlet<?>> iterated = new ArrayList<>();
            for (Greenlet<?> g : group) iterated.add(g);
            assertEquals(List.of(a, b, c), iterated);

            long t0 = System.nanoTime();
            a.join();
            assertFalse(group.contains(a), "a dead member leaves the group");
            assertEquals(2, group.size());
            Coop.sleep(250); // b is done by now
            assertEquals(List.of(c), group.greenlets());
            group.join();
            assertBetween(450, 1500, msSince(t0), "join waits for the last member");
            assertTrue(group.isEmpty());
            assertTrue(c.isDead());
            return null;
        });
    }

    @Test
    void addAndDiscardOutsideGreenlets() {
        Coop.run(() -> {
            Group group = new Group();
            // it ends only when told: a join that waited for it would never return (LoopExit)
            io.coop.sync.Event letGo = new io.coop.sync.Event();
            Greenlet<?> outside = Coop.spawn(() -> letGo.await());
            group.add(outside);
            group.add(outside); // a second add changes nothing
            assertEquals(1, group.size());
            assertTrue(group.contains(outside));

            assertTrue(group.discard(outside));
            assertFalse(group.discard(outside));
            assertFalse(group.contains(outside));
            assertTrue(group.join(Duration.ofSeconds(5)), "a discarded greenlet is not waited for");
            assertFalse(outside.isDead(), "discard leaves the greenlet alone");
            letGo.set();

            outside.join();
            group.add(outside); // dead: nothing to track
            assertTrue(group.isEmpty());

            // a greenlet added before it starts is waited for once started
            Greenlet<String> later = new Greenlet<>(() -> { Coop.sleep(100); return "x"; });
            assertSame(later, group.start(later));
            assertTrue(later.isStarted());
            group.join();
            assertEquals("x", later.value());
            return null;
        });
    }

    @Test
    void joinWithTimeoutReturnsFalseWhileWorkRemains() {
        Coop.run(() -> {
            Group group = new Group();
            group.spawn(() -> Coop.sleep(600));
            long t0 = System.nanoTime();
            assertFalse(group.join(Duration.ofMillis(150)));
            assertBetween(130, 1000, msSince(t0), "join(150 ms)");
            assertEquals(1, group.size());
            assertTrue(group.join(Duration.ofSeconds(5)));
            assertBetween(550, 2000, msSince(t0), "join(5 s) on 600 ms of work");
            assertTrue(group.join(Duration.ZERO), "an empty group joins at once");
            return null;
        });
    }

    @Test
    void joinWithRaiseErrorRethrowsTheFirstFailureAtOnce() {
        Coop.run(() -> {
            Group group = new Group();
            group.spawn(() -> Coop.sleep(1500));
            group.spawn(() -> {
                Coop.sleep(100);
                throw new IllegalStateException("boom");
            });
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.join(null, true));
            assertEquals("boom", e.getMessage());
            assertBetween(80, 1000, msSince(t0), "the failure comes out when it happens");
            assertEquals(1, group.size());

            // without raiseError a failure is just a member leaving
            group.spawn(() -> { throw new IllegalArgumentException("quiet"); });
            assertFalse(group.join(Duration.ofMillis(100), false));
            group.kill();
            return null;
        });
    }

    @Test
    void killRunsFinallyBlocksAndEmptiesTheGroup() {
        Coop.run(() -> {
            Group group = new Group();
            AtomicInteger cleaned = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                group.spawn(() -> {
                    try {
                        Coop.sleep(10_000);
                    } finally {
                        cleaned.incrementAndGet();
                    }
                });
            }
            Coop.sleep(50); // let them all block
            List<Greenlet<?>> members = group.greenlets();
            long t0 = System.nanoTime();
            group.kill();
            assertTrue(msSince(t0) < 1000);
            assertEquals(5, cleaned.get(), "every finally block ran before kill() returned");
            assertTrue(group.isEmpty());
            for (Greenlet<?> g : members) {
                assertTrue(g.isSuccessful(), "a greenlet killed with GreenletExit counts as successful");
                assertTrue(g.value() instanceof GreenletExit);
            }
            return null;
        });
    }

    @Test
    void killWithExceptionAndTimeout() {
        Coop.run(() -> {
            Group group = new Group();
            Greenlet<?> stubborn = group.spawn(() -> {
                try {
                    Coop.sleep(10_000);
                } catch (GreenletExit e) {
                    Coop.sleep(400); // takes its time to die
                }
            });
            Greenlet<?> plain = group.spawn(() -> Coop.sleep(10_000));
            Coop.sleep(20);
            long t0 = System.nanoTime();
            group.kill(null, true, Duration.ofMillis(100));
            assertBetween(80, 1000, msSince(t0), "kill gives up after its timeout");
            assertTrue(plain.isDead());
            assertFalse(stubborn.isDead());
            assertEquals(List.of(stubborn), group.greenlets());
            group.join();
            assertTrue(group.isEmpty());

            IllegalStateException custom = new IllegalStateException("stop");
            Greenlet<?> victim = group.spawn(() -> Coop.sleep(10_000));
            Coop.sleep(20);
            group.kill(custom, false, null);
            assertFalse(victim.isDead(), "kill without block returns at once");
            victim.join();
            assertSame(custom, victim.exception());
            return null;
        });
    }

    @Test
    void aMemberKillingItsGroupDiesLast() {
        Coop.run(() -> {
            Group group = new Group();
            List<String> events = new ArrayList<>();
            group.spawn(() -> {
                try {
                    Coop.sleep(10_000);
                } finally {
                    events.add("other died");
                }
            });
            Greenlet<?> killer = group.spawn(() -> {
                try {
                    Coop.sleep(50);
                    group.kill();
                    events.add("after kill"); // never reached
                } finally {
                    events.add("killer died");
                }
            });
            killer.join();
            assertEquals(List.of("other died", "killer died"), events);
            assertTrue(killer.isSuccessful());
            assertTrue(group.isEmpty());
            return null;
        });
    }

    @Test
    void applyRunsInAGroupGreenletOrDirectlyInAMember() {
        Coop.run(() -> {
            Group group = new Group();
            Greenlet<?> main = Coop.current();
            Greenlet<?>[] ranIn = new Greenlet<?>[1];
            String v = group.apply(() -> {
                ranIn[0] = Coop.current();
                assertTrue(group.contains(Coop.current()));
                Coop.sleep(50);
                return "done";
            });
            assertEquals("done", v);
            assertTrue(ranIn[0] != main && ranIn[0].isDead());

            Greenlet<Boolean> member = group.spawn(() -> {
                Greenlet<?> me = Coop.current();
                return group.apply(() -> Coop.current() == me);
            });
            assertTrue(member.get(), "apply from a member runs in that member");

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> group.apply(() -> { throw new IllegalStateException("bad"); }));
            assertEquals("bad", e.getMessage());
            CompletionException checked = assertThrows(CompletionException.class,
                    () -> group.apply(() -> { throw new Exception("checked"); }));
            assertEquals("checked", checked.getCause().getMessage());
            return null;
        });
    }

    @Test
    void applyInterruptedByTimeoutKillsItsGreenlet() {
        Coop.run(() -> {
            Group group = new Group();
            AtomicInteger cleaned = new AtomicInteger();
            String r = Coop.withTimeout(Duration.ofMillis(100), () -> group.apply(() -> {
                try {
                    Coop.sleep(10_000);
                    return "late";
                } finally {
                    cleaned.incrementAndGet();
                }
            }), "timed out");
            assertEquals("timed out", r);
            group.join(Duration.ofSeconds(2));
            assertTrue(group.isEmpty());
            assertEquals(1, cleaned.get());
            return null;
        });
    }

    @Test
    void badArguments() {
        Coop.run(() -> {
            Group group = new Group();
            assertThrows(NullPointerException.class, () -> group.spawn((java.util.concurrent.Callable<Object>) null));
            assertThrows(NullPointerException.class, () -> group.spawn((Runnable) null));
            assertThrows(NullPointerException.class, () -> group.add(null));
            assertThrows(NullPointerException.class, () -> group.discard(null));
            assertThrows(NullPointerException.class, () -> group.apply(null));
            assertThrows(NullPointerException.class, () -> group.map(null, List.of(1)));
            assertThrows(NullPointerException.class, () -> group.map(x -> x, null));
            assertThrows(NullPointerException.class, () -> group.imap(null, List.of(1)));
            assertThrows(NullPointerException.class, () -> group.imapUnordered(x -> x, null));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.join(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> group.kill(null, true, Duration.ofSeconds(-1)));
            e = assertThrows(IllegalArgumentException.class, () -> group.imap(x -> x, List.of(1), 0));
            assertTrue(e.getMessage().contains("maxPending"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> group.imapUnordered(x -> x, List.of(1), -3));

            Greenlet<?> member = group.spawn(() -> group.join());
            member.join();
            assertTrue(member.exception() instanceof IllegalStateException, "a member cannot join its own group");
            assertTrue(group.isEmpty(), "the hub is fine after bad calls");
            assertEquals(List.of(2), group.map(x -> x + 1, List.of(1)));
            return null;
        });
    }

    @Test
    void aGroupBelongsToOneHub() throws Exception {
        Group[] made = new Group[1];
        Coop.run(() -> made[0] = new Group());
        Thread other = new Thread(() -> Coop.run(() -> {
            assertThrows(IllegalStateException.class, () -> made[0].spawn(() -> 1));
            return null;
        }));
        Throwable[] failure = new Throwable[1];
        other.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        other.start();
        other.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
    }
}
