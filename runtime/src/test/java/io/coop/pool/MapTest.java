package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.testing.OsThread;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.coop.pool.GroupTest.assertBetween;
import static io.coop.pool.GroupTest.msSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** map, imap and imapUnordered on a plain Group: order, laziness of results, failures, closing. */
class MapTest {

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapIsOrderedWhileWorkFinishesOutOfOrder() {
        Coop.run(() -> {
            Group group = new Group();
            List<Integer> finishOrder = new ArrayList<>();
            long t0 = System.nanoTime();
            List<String> out = group.map(i -> {
                Coop.sleep((5 - i) * 80L);
                finishOrder.add(i);
                return "r" + i;
            }, range(5));
            assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), out);
            assertEquals(List.of(4, 3, 2, 1, 0), finishOrder, "the work really finished in reverse");
            assertBetween(380, 1500, msSince(t0), "map runs the items at once (slowest 400 ms)");
            assertTrue(group.isEmpty());
            return null;
        });
    }

    @Test
    void imapYieldsTheFirstResultBeforeTheLastFinishes() {
        Coop.run(() -> {
            Group group = new Group();
            boolean[] done = new boolean[3];
            long t0 = System.nanoTime();
            List<Long> arrivals = new ArrayList<>();
            List<Integer> results = new ArrayList<>();
            for (int r : group.imap(i -> {
                Coop.sleep(100L + 250L * i);
                done[i] = true;
                return i * i;
            }, range(3))) {
                arrivals.add(msSince(t0));
                if (results.isEmpty()) assertFalse(done[2], "the first result came before the last item finished");
                results.add(r);
            }
            assertEquals(List.of(0, 1, 4), results);
            assertBetween(90, 500, arrivals.get(0), "first result");
            assertBetween(330, 900, arrivals.get(1), "second result");
            assertBetween(580, 1600, arrivals.get(2), "third result");
            return null;
        });
    }

    @Test
    void imapHoldsAFastResultBackUntilTheSlowerOnesBeforeIt() {
        Coop.run(() -> {
            Group group = new Group();
            long t0 = System.nanoTime();
            Iterator<String> it = group.imap(i -> {
                Coop.sleep(i == 0 ? 300 : 50);
                return "r" + i;
            }, range(3));
            assertEquals("r0", it.next());
            assertBetween(280, 1200, msSince(t0), "r0 is first although it finished last");
            assertEquals("r1", it.next());
            assertEquals("r2", it.next());
            assertBetween(280, 1200, msSince(t0), "r1 and r2 were already waiting");
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            return null;
        });
    }

    @Test
    void imapUnorderedYieldsInFinishingOrder() {
        Coop.run(() -> {
            // gevent's tutorial: intensive(n) sleeps 3 - n
            Group group = new Group();
            long t0 = System.nanoTime();
            List<String> results = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            for (String r : group.imapUnordered(n -> {
                Coop.sleep((3 - n) * 150L);
                return "task " + n;
            }, range(3))) {
                results.add(r);
                arrivals.add(msSince(t0));
            }
            assertEquals(List.of("task 2", "task 1", "task 0"), results);
            assertBetween(130, 700, arrivals.get(0), "first to finish");
            assertBetween(280, 1000, arrivals.get(1), "second to finish");
            assertBetween(430, 1500, arrivals.get(2), "last to finish");
            return null;
        });
    }

    @Test
    void aFailureInMapIsRethrownAtOnceAndTheRestIsKilled() {
        Coop.run(() -> {
            Group group = new Group();
            AtomicInteger cleaned = new AtomicInteger();
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.map(i -> {
                try {
                    if (i == 3) {
                        Coop.sleep(100);
                        throw new IllegalStateException("item 3 failed");
                    }
                    Coop.sleep(5_000);
                    return i;
                } finally {
                    cleaned.incrementAndGet();
                }
            }, range(5)));
            assertEquals("item 3 failed", e.getMessage());
            assertBetween(80, 1500, msSince(t0), "map did not wait for the slow items");
            assertEquals(5, cleaned.get(), "the other items were killed and their finally blocks ran");
            assertTrue(group.isEmpty());
            assertTrue(group.mappings.isEmpty());
            return null;
        });
    }

    @Test
    void anImapFailureComesAtItsPlaceAndClosesTheMapping() {
        Coop.run(() -> {
            Group group = new Group();
            AtomicInteger cleaned = new AtomicInteger();
            MapResults<Integer> results = group.imap(i -> {
                try {
                    if (i == 1) {
                        Coop.sleep(50);
                        throw new ArithmeticException("item 1");
                    }
                    Coop.sleep(i == 0 ? 200 : 5_000);
                    return i;
                } finally {
                    cleaned.incrementAndGet();
                }
            }, range(3));
            long t0 = System.nanoTime();
            assertEquals(0, results.next(), "item 0 comes first even though item 1 failed earlier");
            assertBetween(180, 1000, msSince(t0), "item 0");
            ArithmeticException e = assertThrows(ArithmeticException.class, results::next);
            assertEquals("item 1", e.getMessage());
            assertEquals(3, cleaned.get(), "item 2 was killed when the failure was thrown");
            assertFalse(results.hasNext());
            assertTrue(group.isEmpty());
            return null;
        });
    }

    @Test
    void aFailingInputComesAfterTheResultsBeforeIt() {
        Coop.run(() -> {
            Group group = new Group();
            Iterable<Integer> input = () -> new Iterator<>() {
                int n;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    if (n == 2) throw new IllegalStateException("input broke");
                    return n++;
                }
            };
            List<Integer> got = new ArrayList<>();
            MapResults<Integer> results = group.imapUnordered(i -> { Coop.sleep(50); return i; }, input);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> { for (int r : results) got.add(r); });
            assertEquals("input broke", e.getMessage());
            assertEquals(List.of(0, 1), got.stream().sorted().toList());
            assertThrows(IllegalStateException.class, () -> group.map(i -> i, input));
            return null;
        });
    }

    @Test
    void closingEarlyKillsWhatStillRuns() {
        Coop.run(() -> {
            Pool pool = new Pool(3);
            AtomicInteger pulled = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            AtomicInteger cleaned = new AtomicInteger();
            Iterable<Integer> endless = EndlessInput.counting(pulled);
            List<Integer> got = new ArrayList<>();
            try (MapResults<Integer> results = pool.imap(i -> {
                started.incrementAndGet();
                try {
                    Coop.sleep(i % 3 == 0 ? 30 : 60);
                    return i;
                } finally {
                    cleaned.incrementAndGet();
                }
            }, endless)) {
                for (int r : results) {
                    got.add(r);
                    if (got.size() == 5) break;
                }
            }
            assertEquals(List.of(0, 1, 2, 3, 4), got);
            int pulledAtClose = pulled.get();
            assertEquals(started.get(), cleaned.get(), "every item started has ended");
            assertTrue(pulledAtClose <= 5 + 2 * 3 + 1, "the input was read lazily: " + pulledAtClose);
            assertTrue(pool.isEmpty());
            Coop.sleep(200);
            assertEquals(pulledAtClose, pulled.get(), "nothing more is read or started after close");
            assertTrue(pool.isEmpty());
            return null;
        });
    }

    @Test
    void killingTheGroupStopsItsMappings() {
        Coop.run(() -> {
            Pool pool = new Pool(2);
            AtomicInteger started = new AtomicInteger();
            Iterable<Integer> endless = () -> IntStream.iterate(0, i -> i + 1).iterator();
            MapResults<Integer> results = pool.imapUnordered(i -> {
                started.incrementAndGet();
                Coop.sleep(10_000);
                return i;
            }, endless);
            Greenlet<Object> killer = Coop.spawn(() -> { Coop.sleep(100); pool.kill(); return null; });
            long t0 = System.nanoTime();
            CancellationException e = assertThrows(CancellationException.class, results::next);
            assertBetween(80, 1500, msSince(t0), "the reader learns at once");
            killer.join();
            assertTrue(pool.isEmpty());
            int n = started.get();
            assertEquals(2, n, "only the pool's two items ever started");
            Coop.sleep(100);
            assertEquals(n, started.get(), "nothing starts after the kill");
            assertTrue(e.getMessage().contains("killed") || e.getMessage().contains("stopped"), e.getMessage());
            return null;
        });
    }

    @Test
    void killingTheGroupStopsAMappingNobodyReads() {
        Coop.run(() -> {
            Pool pool = new Pool(2);
            AtomicInteger started = new AtomicInteger();
            Iterable<Integer> endless = () -> IntStream.iterate(0, i -> i + 1).iterator();
            MapResults<Integer> results = pool.imap(i -> {
                started.incrementAndGet();
                Coop.sleep(10_000);
                return i;
            }, endless);
            Coop.sleep(50);
            assertEquals(2, started.get());
            long t0 = System.nanoTime();
            pool.kill(null, true, Duration.ofSeconds(3)); // without a time limit, chasing an endless feeder would never end
            assertTrue(msSince(t0) < 2000, "kill did not have to chase an endless feeder until its 3 s limit: " + msSince(t0) + " ms");
            assertTrue(pool.isEmpty());
            assertTrue(pool.mappings.isEmpty());
            Coop.sleep(100);
            assertTrue(pool.isEmpty(), "nothing was spawned after the kill");
            assertEquals(2, started.get());
            assertThrows(CancellationException.class, results::next);
            assertFalse(results.hasNext());
            return null;
        });
    }

    @Test
    void maxPendingBoundsWorkAheadOfASlowReader() {
        Coop.run(() -> {
            Group group = new Group();
            AtomicInteger started = new AtomicInteger();
            Iterable<Integer> endless = () -> IntStream.iterate(0, i -> i + 1).iterator();
            try (MapResults<Integer> results = group.imap(i -> { started.incrementAndGet(); Coop.sleep(10); return i; }, endless, 4)) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(k, results.next());
                    Coop.sleep(100); // the reader is slow: the work must not run ahead of it
                    assertTrue(started.get() <= k + 1 + 4, "started " + started.get() + " after reading " + (k + 1));
                }
                assertTrue(group.size() <= 4);
            }
            return null;
        });
    }

    @Test
    void emptyInputAndIteratingTwice() {
        Coop.run(() -> {
            Group group = new Group();
            assertEquals(List.of(), group.map(i -> i, List.<Integer>of()));
            MapResults<Integer> results = group.imap(i -> i + 1, List.of(1, 2));
            assertSame(results, results.iterator());
            List<Integer> all = new ArrayList<>();
            for (int r : results) all.add(r);
            for (int r : results) all.add(r); // read once: a second loop sees nothing
            assertEquals(List.of(2, 3), all);
            results.close();
            return null;
        });
    }

    @Test
    void allGreenletsRunOnOneOsThread() {
        Set<String> threads = new TreeSet<>();
        Coop.run(() -> {
            threads.add(OsThread.id());
            Pool pool = new Pool(4);
            threads.addAll(pool.map(i -> {
                Coop.sleep(10);
                return OsThread.id();
            }, range(20)));
            for (String s : pool.imapUnordered(i -> OsThread.id(), range(10))) threads.add(s);
            threads.add(pool.apply(OsThread::id));
            return null;
        });
        assertEquals(1, threads.size(), "main, map, imap and apply workers all ran on " + threads);
    }
}
