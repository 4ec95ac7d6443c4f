package io.coop.queue;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.LoopExit;
import io.coop.Timeout;
import org.junit.jupiter.api.Nested;
import io.coop.testing.Elapsed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queue.get under the wait contract (and, nested, a full queue's put), and Queue's own behaviour. */
@SuppressWarnings("try") // try (var held = x.hold()) {...}: the resource is the point, not a variable to use
class QueueTest extends QueueGetContract {

    @Override
    Queue<String> newQueue() {
        return new Queue<>();
    }

    @Nested
    class FullPut extends QueuePutContract {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new Queue<>(maxsize);
        }
    }

    // ---------------------------------------------------------------- basics

    @Test
    void firstInFirstOutWithCounts() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            assertTrue(q.isEmpty());
            assertFalse(q.isFull());
            assertEquals(0, q.maxsize());
            q.put("a");
            q.putNowait("b");
            q.put("c", Duration.ZERO);
            assertEquals(3, q.size());
            assertEquals("a", q.peek());
            assertEquals("a", q.peekNowait());
            assertEquals("a", q.get());
            assertEquals("b", q.getNowait());
            assertEquals("c", q.get(Duration.ZERO));
            assertTrue(q.isEmpty());
            assertThrows(Empty.class, q::getNowait);
            assertThrows(Empty.class, () -> q.get(Duration.ZERO));
            assertThrows(Empty.class, q::peekNowait);
        });
    }

    @Test
    void boundedQueueCounts() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals(2, q.maxsize());
            q.put(1);
            q.put(2);
            assertTrue(q.isFull());
            assertThrows(Full.class, () -> q.putNowait(3));
            Elapsed start = new Elapsed();
            assertThrows(Full.class, () -> q.put(3, Duration.ofMillis(100)));
            assertTook(100, start.millis(), "put(100 ms) on a full queue");
            assertEquals(List.of(1, 2), List.of(q.get(), q.get()), "the puts that failed inserted nothing");
            assertThrows(Empty.class, q::getNowait);
        });
    }

    @Test
    void waitingGettersAreServedFirstInFirstOut() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> got = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(spawnRecorded(() -> got.add(name + q.get())));
            }
            Coop.sleep(0);
            assertEquals(3, q.getterCount());
            q.put(1);
            q.put(2);
            q.put(3);
            assertTrue(q.isEmpty(), "each item went straight to a waiting getter");
            Coop.joinAll(gs);
            assertEquals(List.of("a1", "b2", "c3"), got);
        });
    }

    @Test
    void anItemPutWhileAGetterWaitsIsThatGettersNoBarging() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> getter = Coop.spawn(() -> q.get());
            Coop.sleep(0);
            q.putNowait("x");
            assertThrows(Empty.class, q::getNowait, "x belongs to the waiting getter");
            assertThrows(Empty.class, q::peekNowait);
            getter.join();
            assertEquals("x", getter.value());
        });
    }

    @Test
    void blockedPuttersAreMovedInFirstInFirstOutByTheGetThatFreesASlot() {
        inHub(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            List<String> done = new ArrayList<>();
            List<Greenlet<?>> putters = new ArrayList<>();
            for (String item : List.of("p1", "p2", "p3")) {
                putters.add(spawnRecorded(() -> {
                    q.put(item);
                    done.add(item);
                    return null;
                }));
            }
            Coop.sleep(0);
            assertEquals(3, q.putterCount());
            assertEquals("first", q.getNowait());
            // p1's item was moved in by that get, before p1 even ran again
            assertEquals(1, q.size());
            assertEquals("p1", q.peekNowait());
            assertEquals(2, q.putterCount());
            assertThrows(Full.class, () -> q.putNowait("barger"), "the freed slot went to p1");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) got.add(q.get());
            Coop.joinAll(putters);
            assertEquals(List.of("p1", "p2", "p3"), got);
            assertEquals(List.of("p1", "p2", "p3"), done);
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void putInterruptedBeforeItsHandOffNeverInserts() {
        inHub(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Greenlet<Object> timedOut = Coop.spawn(() -> {
                try {
                    q.put("b", Duration.ofMillis(30));
                    return "inserted";
                } catch (Full e) {
                    return e;
                }
            });
            Greenlet<Object> outer = Coop.spawn(() -> {
                try (Timeout t = Timeout.startNew(Duration.ofMillis(30))) {
                    q.put("c");
                    return "inserted";
                } catch (Timeout e) {
                    return e;
                }
            });
            Greenlet<?> killed = Coop.spawn(() -> q.put("d"));
            Coop.sleep(0);
            killed.kill();
            Coop.joinAll(List.of(timedOut, outer));
            assertInstanceOf(Full.class, timedOut.value());
            assertInstanceOf(Timeout.class, outer.value());
            assertEquals(0, q.putterCount());
            assertEquals("a", q.getNowait());
            assertThrows(Empty.class, q::getNowait, "none of b, c, d was inserted");
        });
    }

    /**
     * A getter's own timeout and the put that feeds it due at the same moment. When the putter's
     * timer fires first in that pass, the getters' timeouts fire too before any of them runs: the
     * put hands an item to a getter that has already timed out, and that getter must return the
     * item (woken beats timed out); the getters it did not reach raise Empty and leave the rest
     * queued. When the getters' timers come first they all time out and everything stays queued.
     * Either way nothing is lost or delivered twice.
     */
    @Test
    void getterTimeoutsRacingPutsNeverLoseOrDuplicateAnItem() {
        inHub(() -> {
            int rounds = 20, getters = 20;
            Set<String> received = new HashSet<>();
            int duplicates = 0, empties = 0, got = 0, put = 0;
            Queue<String> q = new Queue<>();
            for (int r = 0; r < rounds; r++) {
                int round = r;
                Callable<Integer> putBody = () -> {
                    Coop.sleep(20); // due with the getters' timeouts
                    for (int i = 0; i < getters; i++) {
                        q.putNowait(round + "-" + i);
                        Coop.sleep(0); // let the woken or timed-out getters run in between
                    }
                    return getters;
                };
                Greenlet<Integer> putter = r % 2 == 0 ? spawnRecorded(putBody) : null;
                List<Greenlet<String>> gs = new ArrayList<>();
                for (int i = 0; i < getters; i++) {
                    gs.add(spawnRecorded(() -> {
                        try {
                            return q.get(Duration.ofMillis(20));
                        } catch (Empty e) {
                            return null;
                        }
                    }));
                }
                if (putter == null) putter = spawnRecorded(putBody);
                Coop.joinAll(gs);
                putter.join();
                put += putter.value();
                for (Greenlet<String> g : gs) {
                    if (g.value() == null) {
                        empties++;
                    } else {
                        got++;
                        if (!received.add(g.value())) duplicates++;
                    }
                }
            }
            while (!q.isEmpty()) {
                if (!received.add(q.getNowait())) duplicates++;
            }
            String stats = got + " got by getters, " + empties + " getters timed out, " + put + " put";
            assertEquals(0, duplicates, stats);
            assertEquals(put, received.size(), "every item put was got or is still queued: " + stats);
            assertTrue(got > 0 && empties > 0, "both outcomes of the race happened: " + stats);
        });
    }

    // ---------------------------------------------------------------- peek

    @Test
    void peekWaitsForAnItemAndLeavesIt() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> peeker = spawnRecorded(() -> q.peek());
            Coop.sleep(0);
            assertFalse(peeker.isReady());
            q.put("x");
            peeker.join();
            assertEquals("x", peeker.value());
            assertEquals("x", q.getNowait(), "peek took nothing");
            Elapsed start = new Elapsed();
            assertThrows(Empty.class, () -> q.peek(Duration.ofMillis(50)));
            assertTook(50, start.millis(), "peek(50 ms) on an empty queue");
        });
    }

    @Test
    void peekSeesAnItemHandedToAWaitingGetter() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> peeker = Coop.spawn(() -> q.peek());
            Greenlet<String> getter = Coop.spawn(() -> q.get());
            Coop.sleep(0);
            q.put("x");
            Coop.joinAll(List.of(peeker, getter));
            assertEquals("x", peeker.value());
            assertEquals("x", getter.value());
            assertTrue(q.isEmpty());
        });
    }

    // ---------------------------------------------------------------- from callbacks, LoopExit, bad input

    @Test
    void nonBlockingCallsWorkFromHubCallbacks() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(1);
            List<Object> results = new ArrayList<>();
            Coop.hub().post(() -> { q.putNowait(2); results.add("put 2"); });
            Coop.hub().post(() -> {
                try {
                    q.putNowait(3);
                } catch (Full e) {
                    results.add(e);
                }
            });
            Coop.sleep(0);
            assertEquals("put 2", results.get(0));
            assertInstanceOf(Full.class, results.get(1));
            Greenlet<?> putter = Coop.spawn(() -> q.put(5));
            Coop.sleep(0);
            Coop.hub().post(() -> results.add(q.getNowait()));
            Coop.sleep(0);
            assertEquals(2, results.get(2));
            putter.join();
            assertEquals(5, q.getNowait(), "the callback's get moved the waiting putter's item in");
            Coop.hub().post(() -> {
                try {
                    q.get();
                } catch (IllegalStateException e) {
                    results.add(e);
                }
            });
            Coop.sleep(0);
            assertInstanceOf(IllegalStateException.class, results.get(3), "a blocking get is refused in a callback");
        });
    }

    @Test
    void getOnAnEmptyQueueNobodyFillsIsALoopExitNamingIt() {
        LoopExit exit = assertThrows(LoopExit.class, () -> inHub(() -> new Queue<String>().get()));
        assertTrue(exit.getMessage().contains("Queue.get"), exit.getMessage());
        exit = assertThrows(LoopExit.class, () -> inHub(() -> new Queue<String>().peek()));
        assertTrue(exit.getMessage().contains("Queue.peek"), exit.getMessage());
    }

    @Test
    void badArguments() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Queue<String>(-1));
        assertThrows(IllegalArgumentException.class, () -> new LifoQueue<String>(-1));
        assertThrows(IllegalArgumentException.class, () -> new PriorityQueue<String>(-1));
        assertThrows(IllegalArgumentException.class, () -> new JoinableQueue<String>(-1));
        inHub(() -> {
            Queue<String> q = new Queue<>(1);
            assertThrows(NullPointerException.class, () -> q.put(null));
            assertThrows(NullPointerException.class, () -> q.putNowait(null));
            assertThrows(NullPointerException.class, () -> q.put(null, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> q.put("x", Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> q.get(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> q.peek(Duration.ofMillis(-1)));
            assertTrue(q.isEmpty(), "rejected calls changed nothing");
            q.put("x");
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    q.getNowait();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            t.join();
            assertInstanceOf(IllegalStateException.class, thrown[0], "a queue is used from its own hub's thread");
            assertEquals("x", q.getNowait());
        });
    }

    // ---------------------------------------------------------------- the gevent tutorial

    /** The tutorial's first example: a boss fills an unbounded queue with putNowait, three workers drain it. */
    @Test
    void tutorialWorkersDrainAnUnboundedQueue() {
        inHub(() -> {
            Queue<Integer> tasks = new Queue<>();
            List<String> out = new ArrayList<>();
            Coop.spawn(() -> { for (int i = 1; i < 25; i++) tasks.putNowait(i); }).join();
            List<Greenlet<?>> workers = new ArrayList<>();
            for (String n : List.of("steve", "john", "nancy")) {
                workers.add(spawnRecorded(() -> {
                    while (!tasks.isEmpty()) {
                        int task = tasks.get();
                        out.add("Worker " + n + " got task " + task);
                        Coop.sleep(0);
                    }
                    out.add("Quitting time!");
                    return null;
                }));
            }
            Coop.joinAll(workers);
            List<String> expected = new ArrayList<>();
            String[] names = {"steve", "john", "nancy"};
            for (int i = 1; i < 25; i++) expected.add("Worker " + names[(i - 1) % 3] + " got task " + i);
            for (int i = 0; i < 3; i++) expected.add("Quitting time!");
            assertEquals(expected, out);
        });
    }

    /**
     * The tutorial's second example: Queue(maxsize=3), a boss putting 1..9 then 10..19 with put
     * (blocking while full), three workers taking with get(timeout=1 s) until Empty.
     */
    @Test
    void tutorialBossAndWorkersOnABoundedQueue() {
        inHub(() -> {
            Queue<Integer> tasks = new Queue<>(3);
            List<String> out = new ArrayList<>();
            int[] mostQueued = new int[1];
            Greenlet<?> boss = spawnRecorded(() -> {
                for (int i = 1; i < 10; i++) {
                    tasks.put(i);
                    mostQueued[0] = Math.max(mostQueued[0], tasks.size());
                }
                out.add("Assigned all work in iteration 1");
                for (int i = 10; i < 20; i++) {
                    tasks.put(i);
                    mostQueued[0] = Math.max(mostQueued[0], tasks.size());
                }
                out.add("Assigned all work in iteration 2");
                return null;
            });
            List<Greenlet<?>> all = new ArrayList<>(List.of(boss));
            Elapsed start = new Elapsed();
            for (String n : List.of("steve", "john", "bob")) {
                all.add(spawnRecorded(() -> {
                    try {
                        while (true) {
                            int task = tasks.get(Duration.ofSeconds(1));
                            out.add("Worker " + n + " got task " + task);
                            Coop.sleep(0);
                        }
                    } catch (Empty e) {
                        out.add("Quitting time!");
                    }
                    return null;
                }));
            }
            Coop.joinAll(all);
            assertTook(1000, start.millis(), "workers quit after 1 s without work");
            assertEquals(3, mostQueued[0], "the boss never had more than maxsize queued");
            // gevent prints the same lines with the boss's messages at the same places (after
            // tasks 6 and 18); its worker rotation differs (steve, bob, john at times), coop's is
            // strictly first come first served
            List<String> expected = new ArrayList<>();
            String[] names = {"steve", "john", "bob"};
            for (int i = 1; i < 20; i++) {
                expected.add("Worker " + names[(i - 1) % 3] + " got task " + i);
                if (i == 6) expected.add("Assigned all work in iteration 1");
                if (i == 18) expected.add("Assigned all work in iteration 2");
            }
            for (int i = 0; i < 3; i++) expected.add("Quitting time!");
            assertEquals(expected, out);
        });
    }

    @Test
    void itemIdentityIsKept() {
        inHub(() -> {
            Queue<Object> q = new Queue<>(1);
            Object a = new Object(), b = new Object();
            q.put(a);
            Greenlet<?> putter = Coop.spawn(() -> q.put(b));
            Coop.sleep(0);
            assertSame(a, q.get());
            assertSame(b, q.get());
            putter.join();
        });
    }
}
