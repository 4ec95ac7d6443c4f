package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.queue.Queue;
import io.coop.sync.AsyncResult;
import io.coop.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HubGroupTest {

    @Test
    void eachHubIsAnOsThreadOfItsOwnThatRunsWhatIsSpawnedThere() {
        try (HubGroup hubs = HubGroup.start(3)) {
            assertEquals(3, hubs.size());
            Set<Thread> threads = new HashSet<>();
            for (Hub h : hubs.hubs()) {
                assertTrue(h.thread().isAlive() && h.thread().isDaemon(), h.thread().toString());
                threads.add(h.thread());
            }
            assertEquals(3, threads.size(), "three distinct OS threads");
            Coop.run(() -> {
                List<AsyncResult<Thread>> carriers = new ArrayList<>();
                for (Hub h : hubs.hubs()) carriers.add(AsyncResult.spawnOn(h, () -> {
                    Coop.sleep(10); // a real wait on that hub's timers
                    return Coop.hub().isHubThread() ? Coop.hub().thread() : null;
                }));
                for (int i = 0; i < 3; i++) assertSame(hubs.hub(i).thread(), carriers.get(i).get(Duration.ofSeconds(5)));
                return null;
            });
        }
    }

    @Test
    void theWorkOfNGreenletsOnTwoHubsOverlapsOnBoth() {
        // 20 sleeps of 200 ms on each of two hubs end in about 200 ms, not 8 s: they overlap on each hub
        try (HubGroup hubs = HubGroup.start(2)) {
            long t0 = System.nanoTime();
            Coop.run(() -> {
                List<AsyncResult<Integer>> parts = new ArrayList<>();
                for (Hub h : hubs.hubs()) parts.add(AsyncResult.spawnOn(h, () -> {
                    List<Greenlet<?>> gs = new ArrayList<>();
                    for (int i = 0; i < 20; i++) gs.add(Coop.spawn(() -> Coop.sleep(200)));
                    Coop.joinAll(gs);
                    return gs.size();
                }));
                for (AsyncResult<Integer> p : parts) assertEquals(20, p.get());
                return null;
            });
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(4).toNanos(), "the sleeps overlapped");
        }
    }

    @Test
    void nextTakesTheHubsInTurn() {
        try (HubGroup hubs = HubGroup.start(2)) {
            Hub a = hubs.next(), b = hubs.next(), c = hubs.next();
            assertNotSame(a, b);
            assertSame(a, c);
        }
    }

    @Test
    void aGreenletThatUsesAnotherHubsPrimitiveGetsAClearError() {
        try (HubGroup hubs = HubGroup.start(2)) {
            Coop.run(() -> {
                Event event = AsyncResult.spawnOn(hubs.hub(0), Event::new).get();
                Queue<String> queue = AsyncResult.spawnOn(hubs.hub(0), () -> new Queue<String>(0)).get();
                Greenlet<?> sleeper = AsyncResult.spawnOn(hubs.hub(0), () -> Coop.spawn(() -> Coop.sleep(5_000))).get();
                AsyncResult<String> waited = AsyncResult.spawnOn(hubs.hub(1), () -> failureOf(() -> event.await(Duration.ofSeconds(1))));
                AsyncResult<String> got = AsyncResult.spawnOn(hubs.hub(1), () -> failureOf(() -> queue.get(Duration.ofSeconds(1))));
                AsyncResult<String> joined = AsyncResult.spawnOn(hubs.hub(1), () -> failureOf(() -> sleeper.join(Duration.ofSeconds(1))));
                for (AsyncResult<String> r : List.of(waited, got, joined)) {
                    String msg = r.get();
                    assertTrue(msg.contains("cannot switch to a different thread"), msg);
                    assertTrue(msg.contains(hubs.hub(0).thread().getName()) && msg.contains(hubs.hub(1).thread().getName()), msg);
                }
                assertTrue(waited.get().startsWith("Event.wait") || waited.get().startsWith("Event.await"), waited.get());
                return null;
            });
        }
    }

    private static String failureOf(Runnable r) {
        try {
            r.run();
            return "no failure";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Test
    void eventSetFromAnotherHubWakesItsOwnHubsWaiter() {
        try (HubGroup hubs = HubGroup.includingCurrent(2)) {
            String how = Coop.run(() -> {
                Event done = new Event();
                AsyncResult.spawnOn(hubs.hub(1), () -> {
                    Coop.sleep(50);
                    done.set(); // posted to the main hub: no LoopExit meanwhile
                    return null;
                });
                return done.await(Duration.ofSeconds(5)) ? "woken" : "timed out";
            });
            assertEquals("woken", how);
        } finally {
            // the caller's hub is on its own again
            assertNull(HubGroup.ofCurrentHub());
        }
    }

    @Test
    void loopExitIsJudgedByTheWholeGroupAndNamesEveryHubsWaits() {
        try (HubGroup hubs = HubGroup.includingCurrent(2)) {
            LoopExit e = assertThrows(LoopExit.class, () -> Coop.run(() -> {
                AsyncResult.spawnOn(hubs.hub(1), () -> Coop.spawn(() -> new Waiter<Void>("a reply on hub 1").await())).get();
                return new Waiter<Void>("a reply on hub 0").await();
            }));
            String name1 = hubs.hub(1).thread().getName();
            assertTrue(e.getMessage().contains("on main: main waits for a reply on hub 0"), e.getMessage());
            assertTrue(e.getMessage().matches(".*on " + name1 + ": .*Greenlet-\\d+ waits for a reply on hub 1.*"), e.getMessage());
        }
    }

    @Test
    void aHubWhoseGreenletFailsKeepsServingAndSoDoTheOthers() {
        try (HubGroup hubs = HubGroup.start(2)) {
            Coop.run(() -> {
                AsyncResult<Object> failed = AsyncResult.spawnOn(hubs.hub(1), () -> {
                    throw new IllegalArgumentException("boom on hub 1");
                });
                RuntimeException e = assertThrows(IllegalArgumentException.class, failed::get);
                assertEquals("boom on hub 1", e.getMessage());
                assertEquals("still here", AsyncResult.spawnOn(hubs.hub(1), () -> "still here").get());
                assertEquals("fine", AsyncResult.spawnOn(hubs.hub(0), () -> "fine").get());
                return null;
            });
        }
    }

    @Test
    void closeEndsTheThreadsItStartedKillingTheirGreenletsAndLaterPostsFailClearly() throws Exception {
        HubGroup hubs = HubGroup.start(2);
        Hub one = hubs.hub(1);
        AsyncResult<String> cleanup = Coop.run(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            AsyncResult.spawnOn(one, () -> Coop.spawn(() -> {
                try {
                    Coop.sleep(60_000);
                } finally {
                    r.set("finally ran");
                }
            })).get();
            return r;
        });
        hubs.close();
        for (Hub h : hubs.hubs()) {
            assertFalse(Hub.all().contains(h), "a hub whose group closed is done and forgotten: " + h);
            assertTrue(h.thread().join(Duration.ofSeconds(5)), h.thread() + " ended");
        }
        assertTrue(cleanup.isReady() || Coop.run(() -> cleanup.await(Duration.ofSeconds(5))));
        assertEquals("finally ran", cleanup.value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> one.post(() -> { }));
        assertTrue(e.getMessage().contains("has ended"), e.getMessage());
        hubs.close(); // idempotent
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HubGroup.start(0));
        assertThrows(IllegalArgumentException.class, () -> HubGroup.includingCurrent(0));
    }

    @Test
    void aHubBelongsToOneGroupAtATime() {
        try (HubGroup hubs = HubGroup.includingCurrent(1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HubGroup.includingCurrent(2));
            assertTrue(e.getMessage().contains("at most one"), e.getMessage());
            assertTrue(hubs.contains(Hub.current()));
        }
    }
}
