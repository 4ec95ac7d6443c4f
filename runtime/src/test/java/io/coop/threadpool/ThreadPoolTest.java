package io.coop.threadpool;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.LoopExit;
import io.coop.Timeout;
import io.coop.Waiter;
import io.coop.sync.AsyncResult;
import io.coop.testing.Elapsed;
import io.coop.testing.OsThread;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPoolTest {

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * On a pool thread: waits until the hub's ticker greenlet has ticked {@code n} times, which it
     * does only while the hub runs: a hub blocked by the wait for this task fails here instead of
     * giving a small count that only a timing bound could tell from a slow machine.
     */
    private static void awaitTicks(AtomicInteger ticks, int n) {
        long end = System.nanoTime() + 30_000_000_000L;
        while (ticks.get() < n) {
            if (System.nanoTime() - end > 0) throw new AssertionError("the hub ran no ticker while the task waited: " + ticks);
            sleepMillis(5);
        }
    }

    /** Waits (cooperatively) until {@code cond} holds, up to 5 s. */
    private static void eventually(java.util.function.BooleanSupplier cond, String what) {
        for (int i = 0; i < 250 && !cond.getAsBoolean(); i++) Coop.sleep(20);
        assertTrue(cond.getAsBoolean(), what);
    }

    @Test
    void applyBlocksTheGreenletNotTheHub() {
        try (ThreadPool pool = new ThreadPool(2)) {
            Coop.run(() -> {
                String hubThread = OsThread.id();
                List<String> tickerThreads = new ArrayList<>();
                AtomicInteger ticks = new AtomicInteger();
                Greenlet<?> ticker = Coop.spawn(() -> {
                    while (true) {
                        tickerThreads.add(OsThread.id());
                        ticks.incrementAndGet();
                        Coop.sleep(20);
                    }
                });
                Coop.sleep(0);
                Elapsed e = new Elapsed();
                String[] worker = pool.apply(() -> {
                    Thread t = Thread.currentThread();
                    sleepMillis(300); // a real blocking call on a real thread
                    awaitTicks(ticks, 5);
                    return new String[] {OsThread.id(), t.getName(), String.valueOf(t.isDaemon()), String.valueOf(t.isVirtual()),
                            String.valueOf(PoolThread.isCoopThread(t))};
                });
                long took = e.millis();
                int ticked = ticks.get();
                ticker.kill();
                assertTrue(took >= 280 && took < 1500, "apply took " + took + " ms");
                // the task waited for 5 ticks: a hub blocked by apply would never have ticked again
                assertTrue(ticked >= 5, "the ticker ticked only " + ticked + " times while the pool worked");
                assertEquals(Set.of(hubThread), new HashSet<>(tickerThreads), "every tick ran on the hub thread");
                assertEquals(hubThread, OsThread.id());
                assertNotEquals(hubThread, worker[0], "the task ran on another OS thread");
                assertTrue(worker[1].matches("coop-pool-\\d+"), worker[1]);
                assertEquals("true", worker[2], "daemon");
                assertEquals("false", worker[3], "a platform thread");
                assertEquals("true", worker[4], "marked as coop's own");
                return null;
            });
        }
    }

    @Test
    void spawnReturnsAtOnceAndTheResultWakesTheGreenletThatWaits() {
        try (ThreadPool pool = new ThreadPool(3)) {
            Coop.run(() -> {
                String hub = OsThread.id();
                AtomicInteger ticks = new AtomicInteger();
                Greenlet<?> ticker = Coop.spawn(() -> {
                    while (true) {
                        ticks.incrementAndGet();
                        Coop.sleep(20);
                    }
                });
                // the tasks start only once both spawns returned: a spawn that waited for its task never would
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                Elapsed e = new Elapsed();
                AsyncResult<String> slow = pool.spawn(() -> {
                    go.await();
                    sleepMillis(300);
                    awaitTicks(ticks, 5);
                    return "slow@" + OsThread.id();
                });
                AsyncResult<String> fast = pool.spawn(() -> { go.await(); sleepMillis(100); return "fast"; });
                assertFalse(slow.isReady());
                assertFalse(fast.isReady());
                go.countDown();
                // AsyncResults are waitables: they come back in the order they became ready
                assertEquals(List.of(fast, slow), Coop.waitAll(List.of(slow, fast)));
                long took = e.millis();
                int ticked = ticks.get();
                ticker.kill();
                assertEquals("fast", fast.get());
                assertTrue(slow.get(Duration.ofSeconds(1)).startsWith("slow@"));
                assertNotEquals("slow@" + hub, slow.value(), "it ran on another OS thread");
                assertTrue(took >= 280 && took < 1500, "both done after " + took + " ms");
                assertTrue(ticked >= 5, "the ticker ticked " + ticked + " times");
                return null;
            });
        }
    }

    @Test
    void spawnedExceptionsArriveAsIs() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                IllegalArgumentException unchecked = new IllegalArgumentException("bad");
                AsyncResult<Object> r = pool.spawn(() -> { throw unchecked; });
                assertSame(unchecked, assertThrows(IllegalArgumentException.class, r::get));
                assertSame(unchecked, r.exception());
                assertFalse(r.isSuccessful());

                IOException checked = new IOException("gone");
                AsyncResult<Object> c = pool.spawn(() -> { throw checked; });
                assertSame(checked, assertThrows(ExecutionException.class, c::get).getCause(), "per Future");
                assertSame(checked, assertThrows(CompletionException.class, () -> c.get(Duration.ofSeconds(1))).getCause());
                assertSame(checked, c.exception());
                return null;
            });
        }
    }

    @Test
    void theOnlyGreenletWaitingForASpawnedTaskGetsNoLoopExit() {
        try (ThreadPool pool = new ThreadPool(1)) {
            assertEquals("late", Coop.run(() -> pool.spawn(() -> { sleepMillis(300); return "late"; }).get()));
        }
    }

    @Test
    void exceptionsArriveAsIs() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                IllegalStateException unchecked = new IllegalStateException("boom");
                assertSame(unchecked, assertThrows(IllegalStateException.class, () -> pool.apply(() -> { throw unchecked; })));

                IOException checked = new IOException("disk on fire");
                CompletionException wrapped = assertThrows(CompletionException.class, () -> pool.apply(() -> { throw checked; }));
                assertSame(checked, wrapped.getCause());
                assertSame(checked, assertThrows(IOException.class, () -> pool.call(() -> { throw checked; })));

                StackOverflowError error = new StackOverflowError("deep");
                assertSame(error, assertThrows(StackOverflowError.class, () -> pool.apply(() -> { throw error; })));

                RuntimeException inMap = new ArithmeticException("/ by zero");
                assertSame(inMap, assertThrows(ArithmeticException.class,
                        () -> pool.map(i -> { if (i == 3) throw inMap; return i; }, List.of(1, 2, 3, 4))));

                // the pool is still usable after all that
                assertEquals(42, pool.apply(() -> 42));
                return null;
            });
        }
    }

    @Test
    void loopExitIsNotRaisedWhileATaskIsInFlight() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Elapsed e = new Elapsed();
            // the run's body is the only greenlet and waits for the pool: nothing on the hub can wake it
            String v = Coop.run(() -> pool.apply(() -> {
                sleepMillis(300);
                return "worked";
            }));
            assertEquals("worked", v);
            assertTrue(e.millis() >= 280, "took " + e.millis() + " ms");

            // once delivered, the keep-alive is gone: a wait that can never end raises LoopExit again
            LoopExit exit = assertThrows(LoopExit.class, () -> Coop.run(() -> {
                pool.apply(() -> 1);
                return new Waiter<Void>("nothing at all").await();
            }));
            assertTrue(exit.getMessage().contains("nothing at all"), exit.getMessage());
        }
    }

    @Test
    void aWaitingGreenletIsNamedInTheDump() {
        try (ThreadPool pool = new ThreadPool(1, "dump-pool", ThreadPool.DEFAULT_IDLE_TIMEOUT)) {
            Coop.run(() -> {
                Greenlet<?> g = Coop.spawn(() -> pool.apply(() -> { sleepMillis(200); return 1; }));
                g.setName("offloader");
                Coop.sleep(50);
                String dump = Coop.hub().dump();
                assertTrue(dump.contains("offloader, waiting for ThreadPool.apply on dump-pool"), dump);
                g.join();
                return null;
            });
        }
    }

    @Test
    void mapKeepsTheOrderAndRunsInParallel() {
        try (ThreadPool pool = new ThreadPool(4)) {
            Coop.run(() -> {
                Set<String> threads = ConcurrentHashMap.newKeySet();
                List<Integer> items = List.of(8, 7, 6, 5, 4, 3, 2, 1);
                Elapsed e = new Elapsed();
                // later items finish first: the result must still follow the input order
                List<String> out = pool.map(i -> {
                    threads.add(Thread.currentThread().getName());
                    sleepMillis(50L * i);
                    return "item" + i;
                }, items);
                long took = e.millis();
                assertEquals(List.of("item8", "item7", "item6", "item5", "item4", "item3", "item2", "item1"), out);
                // serially 1,800 ms; on 4 threads about 450 ms
                assertTrue(took < 1400, "map took " + took + " ms");
                assertTrue(threads.size() > 1 && threads.size() <= 4, "threads used: " + threads);
                assertEquals(List.of(), pool.map(i -> i, List.<Integer>of()));
                return null;
            });
        }
    }

    @Test
    void sizeCapsTheThreadsAndTheRestQueues() {
        try (ThreadPool pool = new ThreadPool(2)) {
            Coop.run(() -> {
                AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
                List<Greenlet<Integer>> gs = new ArrayList<>();
                // the first two tasks hold both threads until the counts below are read
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    gs.add(Coop.spawn(() -> pool.apply(() -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        go.await();
                        sleepMillis(100);
                        running.decrementAndGet();
                        return n;
                    })));
                }
                Coop.sleep(0); // every greenlet hands its task over
                assertEquals(2, pool.threadCount());
                assertTrue(pool.queuedCount() >= 4, pool.toString());
                go.countDown();
                Elapsed e = new Elapsed();
                Coop.joinAll(gs);
                for (int i = 0; i < 6; i++) assertEquals(i, gs.get(i).value());
                assertEquals(2, most.get(), "never more than size tasks at once");
                assertTrue(e.millis() >= 200, "6 tasks of 100 ms on 2 threads take 300 ms; took " + e.millis());
                return null;
            });
        }
    }

    @Test
    void aTimedOutApplyStopsWaitingAndWithdrawsWorkNotStarted() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                // the only thread stays busy until told, so the next job can only queue
                java.util.concurrent.CountDownLatch free = new java.util.concurrent.CountDownLatch(1);
                Greenlet<?> busy = Coop.spawn(() -> pool.apply(() -> { free.await(); return 1; }));
                Coop.sleep(0);
                AtomicBoolean ran = new AtomicBoolean();
                Elapsed e = new Elapsed();
                Timeout t = assertThrows(Timeout.class, () -> Coop.withTimeout(Duration.ofMillis(100),
                        () -> pool.apply(() -> { ran.set(true); return 2; })));
                assertTrue(e.millis() >= 90 && e.millis() < 1100, "gave up after " + e.millis() + " ms");
                assertNotNull(t);
                assertEquals(0, pool.queuedCount(), "the queued job was withdrawn");
                free.countDown();
                busy.join();
                // one thread, first in first out: a job still queued would run before this one
                assertEquals(3, pool.apply(() -> 3, Duration.ofSeconds(10)));
                assertFalse(ran.get(), "a withdrawn job never runs");
                return null;
            });
        }
    }

    @Test
    void applyWithATimeout() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                assertEquals("quick", pool.apply(() -> "quick", Duration.ofSeconds(5)));
                assertEquals("no limit", pool.apply(() -> "no limit", null));
                // the task holds the only thread until told: an apply that waited for it would never return
                java.util.concurrent.CountDownLatch free = new java.util.concurrent.CountDownLatch(1);
                Elapsed e = new Elapsed();
                Timeout t = assertThrows(Timeout.class, () -> pool.apply(() -> { free.await(); return 1; }, Duration.ofMillis(100)));
                assertTrue(e.millis() >= 90 && e.millis() < 1100, "gave up after " + e.millis() + " ms");
                assertTrue(t.getMessage().contains("100 ms"), t.getMessage());
                assertThrows(IllegalArgumentException.class, () -> pool.apply(() -> 1, Duration.ofMillis(-1)));
                // the abandoned task still holds the only thread; the next one runs after it
                free.countDown();
                assertEquals(2, pool.apply(() -> 2, Duration.ofSeconds(5)));
                return null;
            });
        }
    }

    @Test
    void aKilledWaiterRunsItsFinallyAndThePoolGoesOn() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                List<String> events = new ArrayList<>();
                java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
                Greenlet<?> g = Coop.spawn(() -> {
                    try {
                        events.add("got " + pool.apply(() -> { gate.await(); return "late"; }));
                    } finally {
                        events.add("finally");
                    }
                });
                Coop.sleep(20);
                g.kill();
                assertEquals(List.of("finally"), events, "killed at once, while the task still runs");
                gate.countDown();
                assertEquals("next", pool.apply(() -> "next"));
                Coop.sleep(20);
                assertEquals(List.of("finally"), events, "the dropped result woke nobody");
                return null;
            });
        }
    }

    @Test
    void shutdownRejectsNewWorkClearlyAndFinishesWhatWasAccepted() {
        ThreadPool pool = new ThreadPool(1);
        Coop.run(() -> {
            List<Integer> done = Collections.synchronizedList(new ArrayList<>());
            List<Greenlet<Integer>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                gs.add(Coop.spawn(() -> pool.apply(() -> { sleepMillis(50); done.add(n); return n; })));
            }
            Coop.sleep(10); // all three accepted, one running
            pool.shutdown();
            assertTrue(pool.isShutdown());
            RejectedExecutionException r = assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 99));
            assertTrue(r.getMessage().contains("coop-pool") && r.getMessage().contains("shut down"), r.getMessage());
            assertThrows(RejectedExecutionException.class, () -> pool.map(i -> i, List.of(1)));
            assertThrows(RejectedExecutionException.class, () -> pool.spawn(() -> 1));
            Coop.joinAll(gs);
            assertEquals(List.of(0, 1, 2), done, "accepted work still ran, in order");
            eventually(() -> pool.threadCount() == 0, "the workers exit once the queue is empty: " + pool);
            pool.shutdown(); // idempotent
            return null;
        });
    }

    @Test
    void idleWorkersTimeOutAndComeBackOnDemand() {
        try (ThreadPool pool = new ThreadPool(4, "idle-pool", Duration.ofMillis(200))) {
            Coop.run(() -> {
                Set<String> first = ConcurrentHashMap.newKeySet();
                pool.map(i -> { first.add(Thread.currentThread().getName()); sleepMillis(100); return i; }, List.of(1, 2, 3, 4));
                assertEquals(4, first.size(), "four tasks of 100 ms at once need four threads: " + first);
                assertEquals(4, pool.threadCount());
                eventually(() -> pool.idleCount() == 4, "all four idle: " + pool);
                Elapsed e = new Elapsed();
                eventually(() -> pool.threadCount() == 0, "idle workers exit: " + pool);
                assertTrue(e.millis() >= 100, "they stayed idle a while first (" + e.millis() + " ms)");
                String again = pool.apply(() -> Thread.currentThread().getName());
                assertFalse(first.contains(again), "a new thread was made: " + again);
                assertTrue(again.startsWith("idle-pool-"), again);
                assertEquals(1, pool.threadCount(), "made on demand, one at a time");
                return null;
            });
        }
    }

    @Test
    void badArgumentsAreRejectedAtTheCall() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThreadPool(0)).getMessage().contains("size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ThreadPool(-3)).getMessage().contains("-3"));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool(1, "x", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool(1, "x", Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new ThreadPool(1, null, Duration.ofSeconds(1)));
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                assertThrows(NullPointerException.class, () -> pool.apply(null));
                assertThrows(NullPointerException.class, () -> pool.spawn(null));
                assertThrows(NullPointerException.class, () -> pool.map(null, List.of(1)));
                assertThrows(NullPointerException.class, () -> pool.map(i -> i, null));
                assertThrows(NullPointerException.class, () -> pool.dispatch(() -> 1, null));
                assertEquals(7, pool.apply(() -> 7), "the hub is fine afterwards");
                return null;
            });
        }
    }

    @Test
    void applyOnTheirOwnWorkerRunsInline() {
        try (ThreadPool pool = new ThreadPool(1)) {
            Coop.run(() -> {
                // with one thread, queueing the inner apply would wait forever for itself
                String v = pool.apply(() -> {
                    String outer = Thread.currentThread().getName();
                    String inner = pool.apply(() -> Thread.currentThread().getName());
                    List<Integer> m = pool.map(i -> i * 2, List.of(1, 2));
                    AsyncResult<String> s = pool.spawn(() -> Thread.currentThread().getName());
                    return outer + "/" + inner + "/" + m + "/" + s.get();
                });
                assertEquals("coop-pool-1/coop-pool-1/[2, 4]/coop-pool-1", v);
                return null;
            });
        }
    }

    @Test
    void onePoolServesSeveralHubs() throws Exception {
        try (ThreadPool pool = new ThreadPool(2)) {
            List<String> results = Collections.synchronizedList(new ArrayList<>());
            List<Thread> hubs = new ArrayList<>();
            for (int h = 0; h < 3; h++) {
                int hub = h;
                Thread t = new Thread(() -> results.add(Coop.run(() -> {
                    String me = OsThread.id();
                    List<Greenlet<String>> gs = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        int n = i;
                        gs.add(Coop.spawn(() -> pool.apply(() -> { sleepMillis(10); return hub + ":" + n; }) + "@" + OsThread.id()));
                    }
                    Coop.joinAll(gs);
                    StringBuilder sb = new StringBuilder();
                    for (Greenlet<String> g : gs) {
                        assertEquals(me, g.value().substring(g.value().indexOf('@') + 1), "woken on its own hub");
                        sb.append(g.value(), 0, g.value().indexOf('@')).append(' ');
                    }
                    return sb.toString().trim();
                })), "hub-" + h);
                hubs.add(t);
                t.start();
            }
            for (Thread t : hubs) t.join(10_000);
            Collections.sort(results);
            assertEquals(List.of("0:0 0:1 0:2 0:3 0:4", "1:0 1:1 1:2 1:3 1:4", "2:0 2:1 2:2 2:3 2:4"), results);
        }
    }
}
