package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.Elapsed;
import io.coop.testing.LogCapture;
import io.coop.testing.OsThread;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CoopTest {

    @Test
    void tenThousandSleepersOverlapOnOneOsThread() {
        Set<String> threads = new HashSet<>();
        String hubThread = OsThread.id();
        Elapsed elapsed = new Elapsed();
        int done = Coop.run(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                gs.add(Coop.spawn(() -> {
                    threads.add(OsThread.id());
                    Coop.sleep(100);
                    threads.add(OsThread.id());
                }));
            }
            return Coop.joinAll(gs).size();
        });
        long ms = elapsed.millis();
        assertEquals(10_000, done);
        assertEquals(Set.of(hubThread), threads, "every greenlet ran on the hub's OS thread");
        // ~0.3 s on a quiet machine (docs/benchmarks.md); one after another they would take 1,000 s,
        // so a bound far above the quiet time still shows they overlap, on however loaded a box
        assertTrue(ms >= 100 && ms < 10_000, "10,000 sleeps of 100 ms took " + ms + " ms");
    }

    @Test
    void synchronousVersusAsynchronousTasks() {
        // the seed's "10 tasks sleep 0.5 s": one after another ~5 s, spawned ~0.5 s. Here 10 x 100 ms.
        Elapsed sync = new Elapsed();
        Coop.run(() -> {
            for (int i = 0; i < 10; i++) Coop.sleep(100);
            return null;
        });
        long syncMs = sync.millis();
        Elapsed async = new Elapsed();
        Coop.run(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 10; i++) gs.add(Coop.spawn(() -> Coop.sleep(100)));
            Coop.joinAll(gs);
            return null;
        });
        long asyncMs = async.millis();
        assertTrue(syncMs >= 1000, "synchronous took " + syncMs);
        // one after another they take at least 1,000 ms: anything below shows they overlapped
        assertTrue(asyncMs >= 100 && asyncMs < 900, "asynchronous took " + asyncMs);
    }

    @Test
    void joinAllWithTimeoutReturnsExactlyTheFinishedOnesInFinishingOrder() {
        Coop.run(() -> {
            Greenlet<?> slow = Coop.spawn(() -> Coop.sleep(10_000)); // killed below: costs no time
            Greenlet<?> fast = Coop.spawn(() -> Coop.sleep(10));
            Greenlet<?> faster = Coop.spawn(() -> Coop.sleep(1));
            Elapsed e = new Elapsed();
            List<Greenlet<?>> done = Coop.joinAll(List.of(slow, fast, faster), Duration.ofMillis(100));
            assertTrue(e.millis() >= 90 && e.millis() < 2000, "joinAll waited " + e.millis());
            assertEquals(List.of(faster, fast), done);
            assertFalse(slow.isDead());
            slow.kill();
            return null;
        });
    }

    @Test
    void joinAllRaiseErrorRethrowsTheFirstFailureAtOnce() {
        try (LogCapture ignored = new LogCapture()) {
            Coop.run(() -> {
                IllegalStateException boom = new IllegalStateException("first");
                Greenlet<?> slow = Coop.spawn(() -> Coop.sleep(5000));
                Greenlet<?> bad = Coop.spawn(() -> { Coop.sleep(10); throw boom; });
                Elapsed e = new Elapsed();
                IllegalStateException got = assertThrows(IllegalStateException.class,
                        () -> Coop.joinAll(List.of(slow, bad), null, true));
                assertSame(boom, got);
                assertTrue(e.millis() < 1000);
                slow.kill();
                return null;
            });
        }
    }

    @Test
    void waitAllWithCountReturnsEarlyAndIwaitYieldsInReadyOrder() {
        Coop.run(() -> {
            // a ends only when told, after waitAll returned: a waitAll that waited for all three
            // would never return (LoopExit), one that returned early would not hold both b and c
            io.coop.sync.Event aGo = new io.coop.sync.Event();
            Greenlet<Integer> a = Coop.spawn(() -> { aGo.await(); return 1; });
            Greenlet<Integer> b = Coop.spawn(() -> { Coop.sleep(20); return 2; });
            Greenlet<Integer> c = Coop.spawn(() -> { Coop.sleep(40); return 3; });
            List<Greenlet<Integer>> first2 = Coop.waitAll(List.of(a, b, c), null, 2);
            assertEquals(List.of(b, c), first2);
            assertFalse(a.isDead(), "returned after the second, without waiting for the third");
            aGo.set();
            List<Integer> order = new ArrayList<>();
            for (Greenlet<Integer> g : Coop.iwait(List.of(a, b, c))) order.add(g.value());
            assertEquals(List.of(2, 3, 1), order);
            return null;
        });
    }

    @Test
    void iwaitTimeoutCoversTheWholeIteration() {
        Coop.run(() -> {
            Greenlet<?> a = Coop.spawn(() -> Coop.sleep(10));
            Greenlet<?> b = Coop.spawn(() -> Coop.sleep(2000));
            List<Greenlet<?>> got = new ArrayList<>();
            Elapsed e = new Elapsed();
            for (Greenlet<?> g : Coop.iwait(List.of(a, b), Duration.ofMillis(100), 0)) got.add(g);
            assertEquals(List.of(a), got);
            assertTrue(e.millis() >= 90 && e.millis() < 1000);
            b.kill();
            return null;
        });
    }

    @Test
    void killAllKillsAndWaits() {
        List<String> cleaned = new ArrayList<>();
        Coop.run(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                gs.add(Coop.spawn(() -> {
                    try {
                        Coop.sleep(10_000);
                    } finally {
                        cleaned.add("g" + n);
                    }
                }));
            }
            Coop.sleep(0);
            Coop.killAll(gs);
            assertTrue(gs.stream().allMatch(Greenlet::isDead));
            return null;
        });
        assertEquals(List.of("g0", "g1", "g2", "g3", "g4"), cleaned);
    }

    @Test
    void withTimeoutRaisesOrReturnsTheFallback() {
        Coop.run(() -> {
            assertThrows(Timeout.class, () -> Coop.withTimeout(Duration.ofMillis(20), () -> { Coop.sleep(1000); return 1; }));
            assertEquals(-1, Coop.withTimeout(Duration.ofMillis(20), () -> { Coop.sleep(1000); return 1; }, -1));
            assertEquals(1, Coop.withTimeout(Duration.ofMillis(500), () -> { Coop.sleep(1); return 1; }, -1));
            return null;
        });
    }

    @Test
    void runRethrowsTheBodysFailure() {
        IllegalStateException boom = new IllegalStateException("body failed");
        try (LogCapture ignored = new LogCapture()) {
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Coop.run(() -> { throw boom; })));
            CompletionException wrapped = assertThrows(CompletionException.class, () -> Coop.run(() -> { throw new IOException("io"); }));
            assertInstanceOf(IOException.class, wrapped.getCause());
        }
    }

    @Test
    void runKillsLeftoverGreenletsSoTheirFinallyBlocksRun() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Coop.spawn(() -> {
                try {
                    Coop.sleep(60_000);
                } finally {
                    log.add("leftover cleaned up");
                }
            });
            Coop.sleep(1);
            return null;
        });
        assertEquals(List.of("leftover cleaned up"), log);
        assertTrue(Coop.hub().greenlets().isEmpty());
    }

    @Test
    void runInsideAGreenletRunsTheBodyInPlace() {
        String hubThread = io.coop.testing.OsThread.id();
        assertEquals("inner on " + hubThread, Coop.run(() -> {
            Greenlet<?> outer = Coop.current();
            return Coop.run(() -> {
                assertSame(outer, Coop.current(), "the body runs in the calling greenlet");
                Coop.sleep(1); // and may wait: the hub is running
                return "inner on " + io.coop.testing.OsThread.id();
            });
        }));
    }

    @Test
    void currentIsTheMainGreenletOutsideAnyGreenlet() {
        Greenlet<?> main = Coop.current();
        assertSame(Coop.hub().mainGreenlet(), main);
        assertSame(Thread.currentThread(), main.thread());
        Coop.run(() -> {
            assertEquals("main", Coop.current().name());
            assertNotSame(main, Coop.current());
            return null;
        });
    }

    @Test
    void aVirtualThreadStartedInAGreenletIsNotThatGreenlet() throws Exception {
        // it inherits the greenlet's scheduler (so it runs on the hub) but not its identity: to
        // coop it is the hub thread's own code, as any other virtual thread on the hub's carrier
        String hubThread = OsThread.id();
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(() -> {
                Greenlet<?> me = Coop.current();
                assertSame(Thread.currentThread(), me.thread());
                assertSame(me, AgentSupport.currentGreenlet());
                Object[] seen = new Object[4];
                Thread child = Thread.ofVirtual().start(() -> {
                    seen[0] = AgentSupport.currentGreenlet();
                    seen[1] = Coop.current();
                    seen[2] = Coop.hub();
                    seen[3] = OsThread.id();
                });
                child.join();
                assertNull(seen[0]);
                assertSame(Coop.hub().mainGreenlet(), seen[1]);
                assertSame(Coop.hub(), seen[2]);
                assertEquals(hubThread, seen[3]);
                return me;
            });
            assertSame(g, g.get());
            return null;
        });
        // nor is any thread outside a hub a greenlet
        assertNull(AgentSupport.currentGreenlet());
        Object[] seen = new Object[2];
        Thread.ofVirtual().start(() -> {
            seen[0] = AgentSupport.currentGreenlet();
            seen[1] = AgentSupport.currentHub();
        }).join();
        assertArrayEquals(new Object[2], seen);
    }

    @Test
    void theHubThreadsOwnCodeDrivesTheLoopWhenItWaits() {
        // no Coop.run: the thread's own code is the main greenlet, and waiting runs the others
        List<String> log = new ArrayList<>();
        Greenlet<?> g = Coop.spawn(() -> { log.add("greenlet ran"); Coop.sleep(20); log.add("greenlet done"); });
        log.add("main continues");
        Elapsed e = new Elapsed();
        Coop.sleep(50);
        assertTrue(e.millis() >= 45);
        assertEquals(List.of("main continues", "greenlet ran", "greenlet done"), log);
        assertTrue(g.isDead());
    }

    @Test
    void theSameProgramInterleavesTheSameWayEveryRun() {
        List<String> first = interleaving();
        for (int i = 0; i < 3; i++) assertEquals(first, interleaving());
    }

    private static List<String> interleaving() {
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                gs.add(Coop.spawn(() -> {
                    log.add(n + ":a");
                    Coop.sleep(0);
                    log.add(n + ":b");
                    Coop.sleep(60L * (n % 3)); // equal sleeps from one pass wake together, in order
                    log.add(n + ":c");
                    Coop.sleep(0);
                    log.add(n + ":d");
                }));
            }
            Coop.joinAll(gs);
            return null;
        });
        return log;
    }

    @Test
    void aSeedShufflesTheOrderReproducibly() throws Exception {
        List<String> plain = inNewHubThread(null);
        List<String> seeded1 = inNewHubThread("42");
        List<String> seeded2 = inNewHubThread("42");
        List<String> seeded3 = inNewHubThread("7");
        assertEquals(seeded1, seeded2);
        assertNotEquals(plain, seeded1);
        assertNotEquals(seeded1, seeded3);
        assertEquals(new HashSet<>(plain), new HashSet<>(seeded1));
    }

    private static List<String> inNewHubThread(String seed) throws Exception {
        List<String> log = new ArrayList<>();
        Thread t = new Thread(() -> {
            Coop.run(() -> {
                List<Greenlet<?>> gs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    gs.add(Coop.spawn(() -> { log.add("a" + n); Coop.sleep(0); log.add("b" + n); }));
                }
                Coop.joinAll(gs);
                return null;
            });
        });
        if (seed != null) System.setProperty("coop.seed", seed);
        try {
            t.start(); // the hub is made in the new thread, which reads coop.seed once
            t.join();
        } finally {
            System.clearProperty("coop.seed");
        }
        return log;
    }
}
