package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class GreenletTest {

    @Test
    void spawnSchedulesButDoesNotSwitch() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(() -> log.add("child"));
            log.add("parent after spawn");
            assertTrue(g.isStarted());
            assertFalse(g.isReady());
            g.join();
            log.add("parent after join");
            return null;
        });
        assertEquals(List.of("parent after spawn", "child", "parent after join"), log);
    }

    @Test
    void explicitSwitchesFollowTheSeedOrder() {
        // gevent tutorial: foo and bar hand control back and forth with sleep(0)
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> foo = Coop.spawn(() -> {
                log.add("Running in foo");
                Coop.sleep(0);
                log.add("Explicit context switch to foo again");
            });
            Greenlet<?> bar = Coop.spawn(() -> {
                log.add("Explicit context to bar");
                Coop.sleep(0);
                log.add("Implicit context switch back to bar");
            });
            Coop.joinAll(List.of(foo, bar));
            return null;
        });
        assertEquals(List.of("Running in foo", "Explicit context to bar",
                "Explicit context switch to foo again", "Implicit context switch back to bar"), log);
    }

    @Test
    void valueGetAndFailure() throws Exception {
        Coop.run(() -> {
            Greenlet<String> ok = Coop.spawn(() -> "v");
            assertEquals("v", ok.get());
            assertEquals("v", ok.value());
            assertTrue(ok.isSuccessful());
            assertNull(ok.exception());

            IllegalStateException boom = new IllegalStateException("boom");
            Greenlet<String> bad = Coop.spawn(() -> { throw boom; });
            ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertSame(boom, e.getCause());
            assertSame(boom, bad.exception());
            assertNull(bad.value());
            assertTrue(bad.isDead());
            assertFalse(bad.isSuccessful());

            Greenlet<String> slow = Coop.spawn(() -> { Coop.sleep(1000); return "late"; });
            assertThrows(TimeoutException.class, () -> slow.get(20, TimeUnit.MILLISECONDS));
            slow.kill();
            return null;
        });
    }

    @Test
    void killRaisesGreenletExitAtTheBlockingPointAndRunsFinallyFirst() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(() -> {
                try {
                    log.add("waiting");
                    Coop.sleep(10_000);
                    log.add("woke normally");
                } finally {
                    log.add("finally");
                }
            });
            Coop.sleep(10);
            long t0 = System.nanoTime();
            g.kill();
            log.add("kill returned");
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
            assertTrue(g.isDead());
            assertTrue(g.isReady());
            assertTrue(g.isSuccessful());
            assertInstanceOf(GreenletExit.class, g.value());
            return null;
        });
        assertEquals(List.of("waiting", "finally", "kill returned"), log);
    }

    @Test
    void killBeforeFirstRunMeansItNeverRuns() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> started = Coop.spawn(() -> log.add("started one ran"));
            started.kill();
            Greenlet<?> unstarted = new Greenlet<>(() -> log.add("unstarted one ran"));
            unstarted.kill();
            Greenlet<?> later = Coop.spawnLater(Duration.ofMillis(10), () -> log.add("later one ran"));
            later.kill();
            Coop.sleep(50);
            for (Greenlet<?> g : List.of(started, unstarted, later)) {
                assertTrue(g.isDead(), g.toString());
                assertTrue(g.isSuccessful());
                assertInstanceOf(GreenletExit.class, g.value());
            }
            return null;
        });
        assertEquals(List.of(), log);
    }

    @Test
    void killWithCustomExceptionFailsTheGreenlet() {
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(() -> Coop.sleep(10_000));
            Coop.sleep(0);
            IllegalArgumentException why = new IllegalArgumentException("stop");
            try (LogCapture ignored = new LogCapture()) {
                g.kill(why);
            }
            assertSame(why, g.exception());
            assertFalse(g.isSuccessful());
            return null;
        });
    }

    @Test
    void nonBlockingKillAndKillTimeout() {
        Coop.run(() -> {
            List<String> log = new ArrayList<>();
            // it outlives the kill until told: a kill that waited for its death would never return
            io.coop.sync.Event letGo = new io.coop.sync.Event();
            Greenlet<?> stubborn = Coop.spawn(() -> {
                try {
                    Coop.sleep(10_000);
                } catch (GreenletExit e) {
                    log.add("ignored the kill");
                    letGo.await();
                }
            });
            Coop.sleep(0);
            long t0 = System.nanoTime();
            stubborn.kill(new GreenletExit(), true, Duration.ofMillis(50));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 40 && ms < 1050, "kill waited " + ms + " ms");
            assertFalse(stubborn.isDead());
            assertEquals(List.of("ignored the kill"), log);
            stubborn.kill(new GreenletExit(), false, null); // returns at once
            assertFalse(stubborn.isDead());
            letGo.set();
            stubborn.join();
            assertTrue(stubborn.isDead());
            return null;
        });
    }

    @Test
    void linksRunInTheOrderAddedOnceDead() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<String> g = Coop.spawn(() -> { Coop.sleep(5); return "x"; });
            g.link(x -> log.add("link1 " + x.value()));
            g.linkException(x -> log.add("never: linkException"));
            java.util.function.Consumer<Greenlet<String>> removed = x -> log.add("never: unlinked");
            g.link(removed);
            g.linkValue(x -> log.add("linkValue"));
            g.link(x -> log.add("link3"));
            g.unlink(removed);
            g.join();
            Coop.sleep(0);
            g.link(x -> log.add("after death"));
            Coop.sleep(0);

            Greenlet<String> bad = Coop.spawn(() -> { throw new IllegalStateException("x"); });
            bad.linkValue(x -> log.add("never: linkValue on failure"));
            bad.linkException(x -> log.add("linkException " + x.exception().getMessage()));
            try (LogCapture ignored = new LogCapture()) {
                bad.join();
                Coop.sleep(0);
            }
            return null;
        });
        assertEquals(List.of("link1 x", "linkValue", "link3", "after death", "linkException x"), log);
    }

    @Test
    void subclassOverridesRun() {
        class Answer extends Greenlet<Integer> {
            @Override
            protected Integer run() {
                Coop.sleep(1);
                return 42;
            }
        }
        assertEquals(42, Coop.run(() -> {
            Answer a = new Answer();
            a.setName("answer").start();
            assertEquals("answer", a.name());
            a.join();
            assertTrue(a.toString().contains("answer"));
            return a.value();
        }));
    }

    @Test
    void renamingItsThreadRenamesTheGreenlet() {
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(() -> Thread.currentThread().setName("Selector-31")).setName("Thread-2");
            g.join();
            assertEquals("Selector-31", g.name());
            assertTrue(g.toString().contains("Selector-31"), g::toString);
            return null;
        });
    }

    @Test
    void startLaterDelaysTheStart() {
        Coop.run(() -> {
            long t0 = System.nanoTime();
            long[] ranAt = {0};
            Greenlet<?> g = new Greenlet<>(() -> ranAt[0] = System.nanoTime()).startLater(Duration.ofMillis(100));
            assertTrue(g.isStarted());
            g.join();
            long ms = (ranAt[0] - t0) / 1_000_000;
            assertTrue(ms >= 95 && ms < 1000, "started after " + ms + " ms");
            return null;
        });
    }

    @Test
    void cancelPerFuture() {
        Coop.run(() -> {
            Greenlet<String> g = Coop.spawn(() -> { Coop.sleep(10_000); return "x"; });
            Coop.sleep(0);
            assertTrue(g.cancel(true));
            g.join();
            assertTrue(g.isCancelled());
            assertThrows(CancellationException.class, g::get);
            assertFalse(g.cancel(true));
            return null;
        });
    }

    @Test
    void badArgumentsGetAClearExceptionAndTheHubGoesOn() {
        Coop.run(() -> {
            assertThrows(NullPointerException.class, () -> Coop.spawn((java.util.concurrent.Callable<Object>) null));
            assertThrows(NullPointerException.class, () -> new Greenlet<>(null));
            assertThrows(IllegalArgumentException.class, () -> Coop.sleep(-1));
            assertThrows(IllegalArgumentException.class, () -> Coop.sleep(Duration.ofMillis(-5)));
            assertThrows(IllegalArgumentException.class, () -> Coop.spawnLater(Duration.ofSeconds(-1), () -> 1));
            Greenlet<?> self = Coop.current();
            assertThrows(IllegalStateException.class, self::join, "joining yourself");
            Greenlet<?> never = new Greenlet<>(() -> 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, never::join);
            assertTrue(e.getMessage().contains("never started"));
            Greenlet<?> g = Coop.spawn(() -> {
                assertThrows(IllegalStateException.class, () -> Greenlet.current().join());
                return "fine";
            });
            assertEquals("fine", g.get());
            assertThrows(NullPointerException.class, () -> g.kill(null));
            assertThrows(IllegalArgumentException.class, () -> g.join(Duration.ofMillis(-1)));
            return null;
        });
    }

    @Test
    void aFailingGreenletIsReportedOnceWithItsNameAndStackAndTheHubGoesOn() {
        try (LogCapture log = new LogCapture()) {
            String v = Coop.run(() -> {
                Greenlet<?> g = Coop.spawn(() -> { throw new IllegalStateException("kaboom"); });
                g.setName("doomed");
                g.join();
                Greenlet<String> next = Coop.spawn(() -> "still running");
                return next.get();
            });
            assertEquals("still running", v);
            List<LogRecord> failures = log.snapshot().stream().filter(r -> r.getThrown() != null).toList();
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.get(0).getMessage().contains("doomed"));
            assertEquals("kaboom", failures.get(0).getThrown().getMessage());
            assertTrue(failures.get(0).getThrown().getStackTrace().length > 0);
        }
    }

    @Test
    void aFailingCallbackIsReportedAndTheHubGoesOn() {
        try (LogCapture log = new LogCapture()) {
            List<String> seen = new ArrayList<>();
            Coop.run(() -> {
                Greenlet<?> g = Coop.spawn(() -> 1);
                g.link(x -> { throw new IllegalStateException("bad link"); });
                g.link(x -> seen.add("second link ran"));
                g.join();
                Coop.hub().post(() -> { throw new IllegalStateException("bad callback"); });
                Coop.sleep(10);
                seen.add("hub alive");
                return null;
            });
            assertEquals(List.of("second link ran", "hub alive"), seen);
            assertEquals(2, log.snapshot().stream().filter(r -> r.getThrown() != null).count());
        }
    }

    @Test
    void callbacksMustNotBlock() {
        Coop.run(() -> {
            Throwable[] seen = new Throwable[1];
            Greenlet<?> g = Coop.spawn(() -> 1);
            g.link(x -> {
                try {
                    Coop.sleep(10);
                } catch (Throwable t) {
                    seen[0] = t;
                }
            });
            g.join();
            Coop.sleep(0);
            assertInstanceOf(IllegalStateException.class, seen[0]);
            return null;
        });
    }

    @Test
    void greenletLocalDataIsThreadLocal() {
        ThreadLocal<String> local = new ThreadLocal<>();
        Coop.run(() -> {
            Greenlet<String> a = Coop.spawn(() -> { local.set("a"); Coop.sleep(5); return local.get(); });
            Greenlet<String> b = Coop.spawn(() -> { local.set("b"); Coop.sleep(5); return local.get(); });
            assertEquals("a", a.get());
            assertEquals("b", b.get());
            assertNull(local.get());
            return null;
        });
    }
}
