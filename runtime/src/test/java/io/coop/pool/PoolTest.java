package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.coop.pool.GroupTest.assertBetween;
import static io.coop.pool.GroupTest.msSince;
import static io.coop.pool.MapTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pool: the bound on concurrency, FIFO spawners, slots, and mapping over huge inputs. */
class PoolTest {

    /** Counts the greenlets inside a section and remembers the most seen at once. */
    static final class Gauge {
        int now, max;

        void enter() {
            now++;
            max = Math.max(max, now);
        }

        void leave() {
            now--;
        }
    }

    @Test
    void badSizes() {
        Coop.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pool(0));
            assertTrue(e.getMessage().contains("size"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Pool(-5));
            Pool pool = new Pool(1);
            assertThrows(IllegalArgumentException.class, () -> pool.waitAvailable(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> pool.add(Coop.spawn(() -> 1), Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> pool.add(null, Duration.ZERO));
            assertEquals(1, pool.freeCount(), "a rejected call takes no slot");
            return null;
        });
    }

    @Test
    void poolOfTwoCapsConcurrency() {
        Coop.run(() -> {
            Pool pool = new Pool(2);
            Gauge gauge = new Gauge();
            int n = 10;
            long t = 100;
            long t0 = System.nanoTime();
            List<Integer> out = pool.map(i -> {
                gauge.enter();
                try {
                    Coop.sleep(t);
                    return i;
                } finally {
                    gauge.leave();
                }
            }, range(n));
            long elapsed = msSince(t0);
            assertEquals(range(n), out);
            assertEquals(2, gauge.max, "at most two ran at once, and two did");
            assertBetween(n / 2 * t - 50, 3 * n / 2 * t, elapsed, "10 x 100 ms through 2 slots");

            // the same through spawn
            gauge.max = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pool.spawn(() -> {
                    gauge.enter();
                    try {
                        Coop.sleep(t);
                    } finally {
                        gauge.leave();
                    }
                });
                assertTrue(pool.size() <= 2);
            }
            pool.join();
            assertEquals(2, gauge.max);
            assertBetween(n / 2 * t - 50, 3 * n / 2 * t, msSince(t0), "spawn waits for a slot");
            return null;
        });
    }

    @Test
    void spawnBlocksWhileFullAndUnblocksFirstInFirstOut() {
        Coop.run(() -> {
            Pool pool = new Pool(1);
            List<String> ran = new ArrayList<>();
            Greenlet<?> holder = pool.spawn(() -> Coop.sleep(200));
            long t0 = System.nanoTime();
            List<Greenlet<?>> spawners = new ArrayList<>();
            long[] gotSlotAt = new long[3];
            for (int k = 0; k < 3; k++) {
                String name = "s" + k;
                int idx = k;
                spawners.add(Coop.spawn(() -> {
                    pool.spawn(() -> { ran.add(name); Coop.sleep(100); });
                    gotSlotAt[idx] = msSince(t0);
                }));
                Coop.sleep(10); // they queue up in this order
            }
            assertTrue(pool.isFull());
            assertEquals(1, pool.size());
            assertTrue(ran.isEmpty());
            // one who calls later, but not from the queue, must not overtake: the main greenlet waits too
            pool.spawn(() -> ran.add("main"));
            long mainGotSlot = msSince(t0);
            pool.join();
            assertTrue(holder.isDead());
            assertEquals(List.of("s0", "s1", "s2", "main"), ran);
            assertBetween(180, 1000, gotSlotAt[0], "s0 waited for the holder");
            assertBetween(280, 1200, gotSlotAt[1], "s1 waited for s0's item");
            assertBetween(380, 1400, gotSlotAt[2], "s2 waited for s1's item");
            assertBetween(480, 1600, mainGotSlot, "main waited behind all three");
            Coop.joinAll(spawners);
            return null;
        });
    }

    @Test
    void aLateComerNeverOvertakesAWaitingSpawner() {
        Coop.run(() -> {
            Pool pool = new Pool(1);
            List<String> ran = new ArrayList<>();
            Greenlet<?> holder = Coop.spawn(() -> Coop.sleep(100));
            // woken by the holder's death just before the pool frees its slot: it runs before s0 does
            Greenlet<?> late = Coop.spawn(() -> {
                holder.join();
                pool.spawn(() -> ran.add("late"));
            });
            Coop.sleep(10);
            pool.add(holder);
            Greenlet<?> s0 = Coop.spawn(() -> pool.spawn(() -> ran.add("s0")));
            Coop.joinAll(List.of(late, s0));
            pool.join();
            assertEquals(List.of("s0", "late"), ran, "the slot went to the greenlet that was waiting for it");
            return null;
        });
    }

    @Test
    void addTakesASlotAndTimesOutWhenFull() {
        Coop.run(() -> {
            Pool pool = new Pool(2);
            Greenlet<?> outside = Coop.spawn(() -> Coop.sleep(300));
            pool.add(outside);
            assertEquals(1, pool.freeCount());
            assertFalse(pool.isFull());
            pool.spawn(() -> Coop.sleep(300));
            assertTrue(pool.isFull());
            assertEquals(0, pool.freeCount());

            Greenlet<?> third = Coop.spawn(() -> Coop.sleep(50));
            long t0 = System.nanoTime();
            assertFalse(pool.add(third, Duration.ofMillis(100)), "no slot frees within 100 ms");
            assertBetween(80, 1000, msSince(t0), "add(timeout)");
            assertFalse(pool.contains(third));
            assertEquals(2, pool.size());

            assertTrue(pool.discard(outside), "discard frees the slot");
            assertEquals(1, pool.freeCount());
            assertFalse(outside.isDead());
            pool.join();
            assertEquals(2, pool.freeCount());
            return null;
        });
    }

    @Test
    void freeCountAndWaitAvailable() {
        Coop.run(() -> {
            Pool pool = new Pool(3);
            assertEquals(3, pool.capacity());
            assertEquals(3, pool.freeCount());
            assertEquals(3, pool.waitAvailable(), "free now: no wait");
            pool.spawn(() -> Coop.sleep(150));
            pool.spawn(() -> Coop.sleep(400));
            pool.spawn(() -> Coop.sleep(400));
            assertEquals(0, pool.freeCount());
            assertTrue(pool.isFull());

            long t0 = System.nanoTime();
            assertEquals(0, pool.waitAvailable(Duration.ofMillis(50)), "time ran out while full");
            assertBetween(40, 800, msSince(t0), "waitAvailable(50 ms)");
            assertEquals(1, pool.waitAvailable());
            assertBetween(130, 1000, msSince(t0), "a slot freed when the 150 ms member ended");
            assertEquals(1, pool.freeCount());
            assertEquals(2, pool.size());
            assertTrue(pool.toString().contains("2/3"), pool.toString());
            pool.join();
            assertEquals(3, pool.freeCount());
            return null;
        });
    }

    @Test
    void joinWaitsForASpawnerThatWasHandedASlot() {
        Coop.run(() -> {
            Pool pool = new Pool(1);
            long t0 = System.nanoTime();
            pool.spawn(() -> Coop.sleep(100));
            Coop.spawn(() -> pool.spawn(() -> Coop.sleep(200)));
            Coop.sleep(10);
            pool.join();
            // the second item starts when the first ends (>= 100 ms) and takes 200 ms; a join that
            // saw the pool empty at the hand-off would return at ~100 ms
            assertBetween(280, 1500, msSince(t0), "the pool was never empty in between");
            assertTrue(pool.isEmpty());
            return null;
        });
    }

    @Test
    void joinRightAfterImapWaitsForAllItsItems() {
        Coop.run(() -> {
            Pool pool = new Pool(2);
            List<Integer> done = new ArrayList<>();
            MapResults<Integer> results = pool.imap(i -> { Coop.sleep(100); done.add(i); return i; }, range(6));
            long t0 = System.nanoTime();
            pool.join();
            assertBetween(270, 1500, msSince(t0), "6 x 100 ms through 2 slots");
            assertEquals(6, done.size());
            List<Integer> got = new ArrayList<>();
            for (int r : results) got.add(r);
            assertEquals(range(6), got);

            // a feeder paused for its reader does not hold a join up
            MapResults<Integer> paused = pool.imap(i -> i, range(100), 3);
            assertTrue(pool.join(Duration.ofSeconds(2)));
            assertEquals(0, paused.next());
            paused.close();
            assertTrue(pool.join(Duration.ofSeconds(2)));
            return null;
        });
    }

    @Test
    void applyFromAMemberOfAFullPoolDoesNotDeadlock() {
        Coop.run(() -> {
            Pool pool = new Pool(1);
            Greenlet<Integer> outer = pool.spawn(() -> pool.apply(() -> pool.apply(() -> 7) * 6));
            assertEquals(42, outer.get());
            assertEquals(5, pool.apply(() -> 5));
            return null;
        });
    }

    @Test
    void imapOnAPoolFeedsLazilyFromAnEndlessInput() {
        Coop.run(() -> {
            Pool pool = new Pool(3);
            Gauge gauge = new Gauge();
            AtomicInteger pulled = new AtomicInteger();
            Iterable<Integer> endless = EndlessInput.counting(pulled);
            List<Integer> got = new ArrayList<>();
            long t0 = System.nanoTime();
            try (MapResults<Integer> results = pool.imapUnordered(i -> {
                gauge.enter();
                try {
                    Coop.sleep(50);
                    return i;
                } finally {
                    gauge.leave();
                }
            }, endless)) {
                for (int r : results) {
                    got.add(r);
                    if (got.size() == 12) break;
                }
            }
            assertEquals(3, gauge.max, "never more than the pool's size at once");
            assertEquals(range(12), got.stream().sorted().toList());
            assertTrue(pulled.get() <= 12 + 2 * 3 + 1, "the input is read only as slots free: " + pulled.get());
            assertBetween(180, 1500, msSince(t0), "12 x 50 ms through 3 slots");
            assertTrue(pool.isEmpty());

            // a huge input, ordered: only what the reader asks for is computed (plus what fits in the pool)
            pulled.set(0);
            Iterable<Integer> huge = () -> IntStream.range(0, Integer.MAX_VALUE).peek(i -> pulled.incrementAndGet()).iterator();
            try (MapResults<Long> squares = pool.imap(i -> (long) i * i, huge)) {
                long sum = 0;
                for (int k = 0; k < 1000; k++) sum += squares.next();
                assertEquals(332_833_500L, sum);
            }
            assertTrue(pulled.get() <= 1000 + 2 * 3 + 1, "pulled " + pulled.get());
            return null;
        });
    }

    @Test
    void imapUnorderedOnAPoolIsDeterministic() {
        // gevent's tutorial: Pool(10).imap_unordered(echo, range(10)) gives the same order every run.
        // With coop.seed set, each pass is shuffled on purpose, so the four runs differ: skip then.
        assumeTrue(System.getProperty("coop.seed") == null && System.getenv("COOP_SEED") == null,
                "seeded scheduling shuffles each pass");
        Coop.run(() -> {
            Pool pool = new Pool(10);
            List<List<Integer>> runs = new ArrayList<>();
            for (int run = 0; run < 4; run++) {
                List<Integer> order = new ArrayList<>();
                for (int r : pool.imapUnordered(i -> { Coop.sleep(1); return i; }, range(10))) order.add(r);
                runs.add(order);
            }
            assertEquals(range(10), runs.get(0).stream().sorted().toList());
            assertEquals(runs.get(0), runs.get(1));
            assertEquals(runs.get(0), runs.get(2));
            assertEquals(runs.get(0), runs.get(3));
            return null;
        });
    }

    @Test
    void sizeOfPoolSeenFromItsWorkers() {
        // gevent's tutorial: Pool(2).map(hello_from, range(3)) prints sizes 2, 2, 1
        Coop.run(() -> {
            Pool pool = new Pool(2);
            List<Integer> sizes = pool.map(n -> pool.size(), range(3));
            assertEquals(List.of(2, 2, 1), sizes);
            return null;
        });
    }
}
