package io.coop.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.TraceDiff;
import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ordinary 40-thread program (timers of different lengths, a fixed pool, latches, loopback
 * sockets) under the agent, each run its own JVM: one seed replays byte for byte, other seeds
 * give other interleavings.
 */
class ReplayIT {
    @TempDir
    Path dir;

    private Path run(long seed, String name) throws Exception {
        return run(seed, name, false);
    }

    /** One run in a JVM of its own: the seed and trace as system properties, or as the agent's options. */
    private Path run(long seed, String name, boolean asAgentOptions) throws Exception {
        Path trace = dir.resolve(name + ".trace");
        Jvm jvm = Jvm.agent().classpath(Jvm.testClasses()).timeout(Duration.ofMinutes(1));
        jvm = asAgentOptions ? jvm.options("seed=" + seed + ",trace=" + trace)
                : jvm.jvmArg("-Dcoop.seed=" + seed).jvmArg("-Dcoop.trace=" + trace);
        Jvm.Run r = jvm.run("io.coop.junit.races.FortyThreads");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(160, r.out().trim().split(" ").length, "every round trip completed: " + r.out());
        return trace;
    }

    @Test
    void oneSeedGivesTheSameTraceInTenRuns() throws Exception {
        Path first = run(5, "seed-5-run-0");
        List<String> lines = Files.readAllLines(first);
        assertTrue(lines.size() > 500, "a line per switch: " + lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("descriptor ready")), "socket wake-ups are in the trace");
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("\ttimer")), "timer wake-ups are in the trace");
        for (int i = 1; i < 10; i++) {
            Path again = run(5, "seed-5-run-" + i, i % 2 == 1);
            assertNull(TraceDiff.compare(first, again), "run " + i + " of seed 5" + (i % 2 == 1 ? " (agent options)" : ""));
        }
    }

    @Test
    void monitorHandOffsAndTimedWaitsReplay() throws Exception {
        // threads that sleep holding a monitor, block entering it, and wait/notify on it with timeouts
        Path first = null;
        for (int i = 0; i < 6; i++) {
            Path trace = dir.resolve("monitors-" + i + ".trace");
            Jvm.Run r = Jvm.agent().classpath(Jvm.testClasses()).timeout(Duration.ofMinutes(1))
                    .jvmArg("-Dcoop.seed=7").jvmArg("-Dcoop.trace=" + trace).run("io.coop.junit.races.MonitorThreads");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(50, r.out().trim().split(" ").length, r.out());
            if (first == null) {
                first = trace;
                assertTrue(Files.readAllLines(trace).stream().anyMatch(l -> l.endsWith("woken by thread VirtualThread-unblocker")),
                        "monitor hand-offs are in the trace");
            } else {
                assertNull(TraceDiff.compare(first, trace), "run " + i + " of seed 7");
            }
        }
    }

    @Test
    void virtualTimeRunsAnHourOfWaitsAtOnceAndTheProgramSeesTheHour() throws Exception {
        Jvm.Run r = Jvm.agent().classpath(Jvm.testClasses()).timeout(Duration.ofMinutes(1)).jvmArg("-Dcoop.seed=1")
                .run("io.coop.junit.races.HourOfSleeps");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("false", r.field("latchOpened"), r.toString());
        assertEquals(30, r.number("scheduledAtMinutes"), "the scheduled task ran 30 virtual minutes in");
        assertEquals(60, r.number("nanoTimeMinutes"), "System.nanoTime saw the hour");
        assertEquals(60, r.number("millisMinutes"), "System.currentTimeMillis saw the hour");
        assertEquals(60, r.number("instantMinutes"), "Instant.now saw the hour");
        assertEquals(0, r.number("poolThreadMinutes"), "a thread that is not a greenlet reads the real clock");
        assertTrue(r.wallMs() < 20_000, "an hour of waits took " + r.wallMs() + " ms");
    }

    @Test
    void twentySeedsGiveAtLeastTenTraces() throws Exception {
        Set<List<String>> distinct = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            List<String> lines = Files.readAllLines(run(seed, "seed-" + seed));
            distinct.add(lines.subList(1, lines.size())); // the first line names the seed
        }
        assertTrue(distinct.size() >= 10, "20 seeds gave " + distinct.size() + " distinct traces");
    }
}
