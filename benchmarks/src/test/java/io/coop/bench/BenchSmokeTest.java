package io.coop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark in smoke mode (JMH forks with 200 ms iterations, small memory probes) to
 * prove that they all still run and report, the way {@code benchmarks/run.sh --smoke} does.
 * Skip with {@code -Dcoop.bench.skip=true}.
 */
class BenchSmokeTest {

    @Test
    void everyBenchmarkRunsAndReports(@TempDir Path out) throws Exception {
        List<BenchMain.Row> rows = BenchMain.run(BenchMain.Settings.smoke(out));

        Set<String> keys = rows.stream().map(r -> r.group() + ":" + r.key()).collect(Collectors.toSet());
        for (String k : List.of("pingpong:PingPong.coopChannel", "pingpong:PingPong.coopWaiter", "pingpong:PingPong.coopEvent", "pingpong:PingPong.continuation",
                "pingpong:PingPong.platformSynchronousQueue", "pingpong:PingPong.virtualSynchronousQueue",
                "pingpong:PingPong.virtualParkOneCarrier", "spawnjoin:SpawnJoin.greenlet",
                "spawnjoin:SpawnJoin.virtualThread", "spawnjoin:SpawnJoin.platformThread",
                "memory-heap:greenlet.10", "memory-heap:greenlet.100", "memory-heap:virtual.10",
                "memory-heap:platform.10", "memory-stack:platform.10")) {
            assertTrue(keys.contains(k), "no result for " + k + " in " + keys);
        }
        for (BenchMain.Row r : rows) {
            if (!r.group().equals("memory-rss")) {
                assertTrue(r.median() > 0 && Double.isFinite(r.median()), "implausible figure: " + r);
            }
        }
        // an order of magnitude apart in full runs, so these hold in short, cold, loaded smoke runs too
        double greenlet = median(rows, "spawnjoin", "SpawnJoin.greenlet");
        double platform = median(rows, "spawnjoin", "SpawnJoin.platformThread");
        assertTrue(greenlet * 3 < platform, "a greenlet spawn+join (" + greenlet + " ns) should cost far less than a platform thread's ("
                + platform + " ns)");
        double parkedGreenlet = median(rows, "memory-heap", "greenlet.10");
        double parkedPlatform = median(rows, "memory-heap", "platform.10") + median(rows, "memory-stack", "platform.10");
        assertTrue(parkedGreenlet * 5 < parkedPlatform, "a parked greenlet (" + parkedGreenlet
                + " B) should weigh far less than a parked platform thread (" + parkedPlatform + " B)");

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| coop: 2 greenlets, one hub, Channel |"), md);
        assertTrue(md.contains("| coop: 2 greenlets, one hub, Waiter hand-off |"), md);
        assertTrue(md.contains("Target: one-way ping-pong"), md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(rows.size() + 1, csv.size());

        Path png = out.resolve("plot.png");
        Plot.main(new String[] {out.resolve("results.csv").toString(), png.toString()});
        assertTrue(Files.size(png) > 5_000, "plot too small: " + Files.size(png));
    }

    private static double median(List<BenchMain.Row> rows, String group, String key) {
        BenchMain.Row r = rows.stream().filter(x -> x.group().equals(group) && x.key().equals(key)).findFirst().orElse(null);
        assertNotNull(r, group + ":" + key);
        return r.median();
    }
}
