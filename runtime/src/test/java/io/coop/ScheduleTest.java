package io.coop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.sync.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded schedules, virtual time and traces, with coop's own API (the agent's side is tested in the agent's ITs). */
class ScheduleTest {
    @TempDir
    Path dir;

    /**
     * Timers of different lengths, an event, ready greenlets racing: the kind of program whose
     * order real time decides. 30 greenlets, 5 rounds each.
     */
    private static List<String> timersAndRaces() {
        List<String> log = new ArrayList<>();
        Event go = new Event();
        List<Greenlet<?>> gs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            gs.add(Coop.spawn(() -> {
                go.await();
                for (int round = 0; round < 5; round++) {
                    Coop.sleep(1 + (n * 7 + round * 3) % 13);
                    log.add(n + "." + round);
                    Coop.sleep(0);
                }
            }));
        }
        Coop.spawnLater(Duration.ofMillis(5), () -> { go.set(); return null; });
        Coop.joinAll(gs);
        return log;
    }

    @Test
    void oneSeedReplaysTheSameInterleavingAndTrace() throws Exception {
        List<List<String>> logs = new ArrayList<>();
        List<Path> traces = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            Path trace = dir.resolve("seed-11-" + run + ".trace");
            traces.add(trace);
            logs.add(Coop.run(Schedule.seeded(11).withTrace(trace), ScheduleTest::timersAndRaces));
        }
        for (int run = 1; run < 4; run++) {
            assertEquals(logs.get(0), logs.get(run), "run " + run + " of seed 11");
            assertNull(TraceDiff.compare(traces.get(0), traces.get(run)), "trace of run " + run);
        }
        assertEquals(150, logs.get(0).size());
        long lines = Files.readAllLines(traces.get(0)).stream().filter(l -> !l.startsWith("#")).count();
        assertTrue(lines >= 300, "a switch per line: " + lines);
    }

    @Test
    void otherSeedsGiveOtherInterleavings() {
        Set<List<String>> distinct = new HashSet<>();
        for (long seed = 1; seed <= 10; seed++) distinct.add(Coop.run(Schedule.seeded(seed), ScheduleTest::timersAndRaces));
        assertTrue(distinct.size() >= 8, "10 seeds gave " + distinct.size() + " distinct orders");
    }

    @Test
    void traceDiffPointsAtTheFirstSwitchThatDiffers() throws Exception {
        Path a = dir.resolve("a.trace"), b = dir.resolve("b.trace");
        Coop.run(Schedule.seeded(1).withTrace(a), ScheduleTest::timersAndRaces);
        Coop.run(Schedule.seeded(2).withTrace(b), ScheduleTest::timersAndRaces);
        TraceDiff.Divergence d = TraceDiff.compare(a, b);
        assertNotNull(d);
        assertNotEquals(d.left(), d.right());
        List<String> la = Files.readAllLines(a), lb = Files.readAllLines(b);
        assertEquals(la.subList(0, (int) d.line() - 1), lb.subList(0, (int) d.line() - 1), "the lines before it are the same");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TraceDiff.run(new String[] {a.toString(), b.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(1, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("line " + d.line()), out.toString(StandardCharsets.UTF_8));
        assertEquals(0, TraceDiff.run(new String[] {a.toString(), a.toString()}, System.out, System.err));
        assertEquals(2, TraceDiff.run(new String[] {a.toString()}, System.out, System.err));
    }

    @Test
    void virtualTimeRunsAnHourOfSleepsAtOnceAndShowsTheHourPassing() {
        long realStart = System.nanoTime();
        long[] seen = Coop.run(Schedule.seeded(3), () -> {
            Hub hub = Coop.hub();
            long start = hub.nanoTime(), startMillis = hub.currentTimeMillis();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 10; i++) gs.add(Coop.spawn(() -> { for (int m = 0; m < 6; m++) Coop.sleep(Duration.ofMinutes(1)); }));
            Coop.sleep(Duration.ofMinutes(54));
            Coop.joinAll(gs);
            return new long[] {hub.nanoTime() - start, hub.currentTimeMillis() - startMillis};
        });
        long realMillis = (System.nanoTime() - realStart) / 1_000_000;
        assertTrue(seen[0] >= Duration.ofMinutes(54).toNanos() && seen[0] < Duration.ofMinutes(55).toNanos(), "hub clock moved " + seen[0] + " ns");
        assertTrue(seen[1] >= Duration.ofMinutes(54).toMillis() && seen[1] < Duration.ofMinutes(55).toMillis(), "wall clock moved " + seen[1] + " ms");
        assertTrue(realMillis < 10_000, "an hour of sleeps took " + realMillis + " ms of real time");
    }

    @Test
    void virtualTimeKeepsTheOrderOfDeadlines() {
        List<Integer> woke = Coop.run(Schedule.fifo().withVirtualTime(true), () -> {
            List<Integer> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 20; i > 0; i--) {
                int n = i;
                gs.add(Coop.spawn(() -> { Coop.sleep(Duration.ofSeconds(n)); order.add(n); }));
            }
            Coop.joinAll(gs);
            return order;
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) expected.add(i);
        assertEquals(expected, woke);
    }

    @Test
    void aTimeoutOnWorkInAnotherThreadStillCountsRealTime() {
        // the hub waits for the other thread's work: its clock follows real time meanwhile, so
        // a 5 s Timeout does not fire while the 50 ms job runs
        String got = Coop.run(Schedule.seeded(4), () -> {
            try (io.coop.threadpool.ThreadPool pool = new io.coop.threadpool.ThreadPool(1)) {
                return Coop.withTimeout(Duration.ofSeconds(5), () -> pool.apply(() -> { Thread.sleep(50); return "done"; }));
            }
        });
        assertEquals("done", got);
    }

    @Test
    void pctReplaysForOneSeedAndVariesAcrossSeeds() {
        Schedule pct = Schedule.seeded(9).withStrategy(Schedule.Strategy.PCT).withPct(3, 400);
        assertEquals(Coop.run(pct, ScheduleTest::timersAndRaces), Coop.run(pct, ScheduleTest::timersAndRaces));
        Set<List<String>> distinct = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            distinct.add(Coop.run(Schedule.seeded(seed).withStrategy(Schedule.Strategy.PCT), ScheduleTest::timersAndRaces));
        }
        assertTrue(distinct.size() >= 4, "6 PCT seeds gave " + distinct.size() + " distinct orders");
    }

    @Test
    void aRunInsideAGreenletGetsAHubOfItsOwn() {
        AtomicLong inner = new AtomicLong();
        Thread outer = Coop.run(() -> {
            Coop.run(Schedule.seeded(5), () -> { inner.set(Thread.currentThread().threadId()); Coop.sleep(Duration.ofHours(1)); return null; });
            return Coop.hub().thread();
        });
        assertNotEquals(0, inner.get());
        assertNotEquals(outer.threadId(), inner.get());
    }

    @Test
    void theDefaultScheduleIsFifoInRealTime() {
        Schedule s = Coop.run(() -> Coop.hub().schedule());
        assertEquals(Schedule.Strategy.FIFO, s.strategy());
        assertTrue(s.seed().isEmpty());
        assertTrue(!s.virtualTime() && s.trace().isEmpty());
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withProperty("coop.schedule", "lifo", Schedule::fromConfig));
        assertTrue(e.getMessage().contains("coop.schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> withProperty("coop.schedule", "pct", Schedule::fromConfig));
        assertTrue(e.getMessage().contains("needs a seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.fifo().withStrategy(Schedule.Strategy.RANDOM));
        assertThrows(IllegalArgumentException.class, () -> Schedule.seeded(1).withPct(0, 10));
        Schedule s = withProperty("coop.seed", "12", Schedule::fromConfig);
        assertEquals(12, s.seed().getAsLong());
        assertTrue(s.virtualTime(), "virtual time comes with a seed");
        assertEquals(Schedule.Strategy.RANDOM, s.strategy());
    }

    private static <T> T withProperty(String key, String value, java.util.function.Supplier<T> body) {
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            System.clearProperty(key);
        }
    }
}
