package io.coop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every coop benchmark in one go and writes the figures side by side: the JMH benchmarks
 * ({@link PingPong}, {@link SpawnJoin}), the memory probes ({@link ParkedMemory}, one fresh JVM
 * per kind and depth) and, when given, gevent's figures measured by {@code gevent_bench.py}.
 * Writes {@code results.md} (Markdown tables with medians, ranges, ratios and the targets) and
 * {@code results.csv} (for the plot) into the output folder.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --out /tmp/bench            # full run, a few minutes
 * java -jar benchmarks/target/benchmarks.jar --smoke --out /tmp/smoke    # a few seconds per benchmark
 * java -jar benchmarks/target/benchmarks.jar --only PingPong --prof gc --no-memory
 * }</pre>
 */
public final class BenchMain {
    /** Targets of the foundation issue. */
    static final double PING_PONG_TARGET_NS = 250, SPAWN_JOIN_TARGET_NS = 1200, MEMORY_TARGET_BYTES = 1536;

    /** One figure: a median with its range over the samples it came from. */
    public record Row(String group, String key, String label, double median, double min, double max, int samples, String unit) {
        String csv() {
            return String.join(",", group, key, '"' + label + '"', fmt(median), fmt(min), fmt(max), String.valueOf(samples), unit);
        }

        static String fmt(double d) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
    }

    /** What to run. */
    public static final class Settings {
        boolean smoke;
        boolean quiet;
        boolean memory = true;
        String include = "io\\.coop\\.bench\\.(PingPong|SpawnJoin)\\.";
        final List<String> profilers = new ArrayList<>();
        Path out = Path.of("benchmarks/target/bench-results");
        Path gevent;

        /** The settings of the cheap run that proves every benchmark still runs. */
        public static Settings smoke(Path out) {
            Settings s = new Settings();
            s.smoke = true;
            s.quiet = true;
            s.out = out;
            return s;
        }
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = new Settings();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> s.smoke = true;
                case "--quiet" -> s.quiet = true;
                case "--no-memory" -> s.memory = false;
                case "--only" -> s.include = "io\\.coop\\.bench\\..*(" + args[++i] + ")";
                case "--prof" -> s.profilers.add(args[++i]);
                case "--out" -> s.out = Path.of(args[++i]);
                case "--gevent" -> s.gevent = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: BenchMain [--smoke] [--quiet] [--no-memory] [--only REGEX] [--prof NAME]"
                            + " [--out DIR] [--gevent gevent-results.tsv]");
                    System.exit(2);
                }
            }
        }
        List<Row> rows = run(s);
        System.out.println();
        System.out.println(Files.readString(s.out.resolve("results.md")));
        if (rows.isEmpty()) System.exit(1);
    }

    /** Runs what {@code s} asks for, writes results.md and results.csv into {@code s.out}, returns the rows. */
    public static List<Row> run(Settings s) throws RunnerException, IOException, InterruptedException {
        Files.createDirectories(s.out);
        String loadBefore = loadAverage();
        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>(jmh(s));
        if (s.memory) rows.addAll(memory(s));
        if (s.gevent != null && Files.exists(s.gevent)) rows.addAll(readRows(s.gevent));
        double minutes = (System.nanoTime() - start) / 60e9;
        Files.writeString(s.out.resolve("results.md"), markdown(rows, s, loadBefore, loadAverage(), minutes));
        List<String> csv = new ArrayList<>();
        csv.add("group,key,label,median,min,max,samples,unit");
        for (Row r : rows) csv.add(r.csv());
        Files.write(s.out.resolve("results.csv"), csv);
        return rows;
    }

    // ------------------------------------------------------------ JMH

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("PingPong.coopChannel", "coop: 2 greenlets, one hub, Channel");
        LABELS.put("PingPong.coopWaiter", "coop: 2 greenlets, one hub, Waiter hand-off");
        LABELS.put("PingPong.coopEvent", "coop: 2 greenlets, one hub, Event set/await");
        LABELS.put("PingPong.continuation", "raw jdk.internal.vm.Continuation run+yield");
        LABELS.put("PingPong.virtualParkOneCarrier", "virtual threads, default scheduler on 1 carrier, park/unpark");
        LABELS.put("PingPong.virtualSynchronousQueue", "virtual threads, default scheduler (2 carriers), SynchronousQueue");
        LABELS.put("PingPong.platformSynchronousQueue", "platform threads, SynchronousQueue");
        LABELS.put("SpawnJoin.greenlet", "coop greenlet (spawned and joined by a greenlet)");
        LABELS.put("SpawnJoin.virtualThread", "virtual thread, default scheduler (by a virtual thread)");
        LABELS.put("SpawnJoin.platformThread", "platform thread");
    }

    private static List<Row> jmh(Settings s) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder().include(s.include).shouldFailOnError(true);
        if (s.smoke) {
            b.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
        } else {
            b.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        if (s.quiet) b.verbosity(VerboseMode.SILENT);
        b.addProfiler(CpuTimeProfiler.class);
        for (String p : s.profilers) b.addProfiler(p);
        Collection<RunResult> results = new Runner(b.build()).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult rr : results) {
            String full = rr.getParams().getBenchmark();
            String[] parts = full.split("\\.");
            String key = parts[parts.length - 2] + "." + parts[parts.length - 1];
            List<Double> scores = new ArrayList<>(), cpu = new ArrayList<>();
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    scores.add(ir.getPrimaryResult().getScore());
                    Result<?> c = ir.getSecondaryResults().get(CpuTimeProfiler.CPU_NORM);
                    if (c != null && Double.isFinite(c.getScore())) cpu.add(c.getScore());
                }
            }
            String group = key.startsWith("PingPong") ? "pingpong" : "spawnjoin";
            rows.add(row(group, key, LABELS.getOrDefault(key, key), scores, "ns"));
            if (!cpu.isEmpty()) rows.add(row(group + "-cpu", key, LABELS.getOrDefault(key, key), cpu, "ns"));
        }
        rows.sort((a, b2) -> Integer.compare(order(a.key), order(b2.key)));
        return rows;
    }

    private static int order(String key) {
        int i = new ArrayList<>(LABELS.keySet()).indexOf(key);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    static Row row(String group, String key, String label, List<Double> samples, String unit) {
        double[] v = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) return new Row(group, key, label, Double.NaN, Double.NaN, Double.NaN, 0, unit);
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Row(group, key, label, median, v[0], v[v.length - 1], v.length, unit);
    }

    // ------------------------------------------------------------ memory

    private static final Pattern RESULT = Pattern.compile(
            "RESULT kind=(\\w+) depth=(\\d+) count=(\\d+) heap=([-\\d.]+) rss=([-\\d.]+) stack=([-\\d.]+) frames=(\\d+)");

    private static List<Row> memory(Settings s) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (String kind : List.of("greenlet", "virtual", "platform")) {
            for (int depth : new int[] {10, 100}) {
                int count = kind.equals("platform") ? (s.smoke ? 100 : 2_000) : (s.smoke ? 500 : 20_000);
                List<String> cmd = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xms1g", "-Xmx2g", Flags.OPENS, "-Xbatch",
                        "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,io.coop.bench.ParkedMemory::descend"));
                if (kind.equals("platform")) cmd.add("-XX:NativeMemoryTracking=summary");
                if (s.smoke) cmd.addAll(List.of("-Dcoop.bench.rounds=1", "-Dcoop.bench.warmupRounds=1"));
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ParkedMemory.class.getName(),
                        kind, String.valueOf(depth), String.valueOf(count)));
                if (!s.quiet) System.out.println("# memory: " + kind + ", " + depth + " frames, " + count + " parked");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes());
                int rc = p.waitFor();
                Matcher m = RESULT.matcher(output);
                List<Double> heap = new ArrayList<>(), rss = new ArrayList<>(), stack = new ArrayList<>();
                String frames = null;
                int n = 0;
                while (m.find()) {
                    heap.add(Double.parseDouble(m.group(4)));
                    rss.add(Double.parseDouble(m.group(5)));
                    if (Double.parseDouble(m.group(6)) >= 0) stack.add(Double.parseDouble(m.group(6)));
                    frames = m.group(7);
                    n = Integer.parseInt(m.group(3));
                    if (!s.quiet) System.out.println("#   " + m.group());
                }
                if (rc != 0 || heap.isEmpty()) {
                    throw new IllegalStateException("memory probe failed (" + rc + "): " + String.join(" ", cmd) + "\n" + output);
                }
                String k = kind + "." + depth;
                String label = kind + ", " + depth + " frames (" + frames + " on the stack at the wait), " + n + " parked";
                rows.add(row("memory-heap", k, label, heap, "B"));
                rows.add(row("memory-rss", k, label, rss, "B"));
                if (!stack.isEmpty()) rows.add(row("memory-stack", k, label, stack, "B"));
            }
        }
        return rows;
    }

    /** Rows written by gevent_bench.py: tab-separated group, key, label, median, min, max, samples, unit. */
    static List<Row> readRows(Path tsv) {
        try {
            List<Row> rows = new ArrayList<>();
            for (String line : Files.readAllLines(tsv)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                rows.add(new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Integer.parseInt(f[6]), f[7]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------ report

    static String markdown(List<Row> rows, Settings s, String loadBefore, String loadAfter, double minutes) {
        StringBuilder md = new StringBuilder();
        md.append("# coop benchmarks").append(s.smoke ? " (SMOKE RUN: figures are not meaningful)" : "").append("\n\n");
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
        md.append("- JVM: ").append(System.getProperty("java.vm.vendor")).append(' ').append(System.getProperty("java.vm.name"))
                .append(' ').append(System.getProperty("java.vm.version")).append('\n');
        md.append("- load average before / after: ").append(loadBefore).append(" / ").append(loadAfter)
                .append(String.format(Locale.ROOT, " (run took %.1f min)%n", minutes));
        md.append(s.smoke ? "- JMH: smoke settings, 1 fork, 1 x 200 ms warm-up, 2 x 200 ms measured\n"
                : "- JMH: 2 forks x (3 x 1 s warm-up, 5 x 1 s measured); median and min-max over the 10 measured iterations\n");

        List<Row> ping = group(rows, "pingpong");
        if (!ping.isEmpty()) {
            md.append("\n## One-way hand-off in a ping-pong between two parties (ns, lower is better)\n\n");
            Row ref = first(ping, "PingPong.coopChannel", "PingPong.coopWaiter");
            table(md, ping, ref, group(rows, "pingpong-cpu"));
            target(md, ping, group(rows, "pingpong-cpu"), List.of("PingPong.coopChannel", "PingPong.coopWaiter"), PING_PONG_TARGET_NS,
                    "ns", "one-way ping-pong");
        }
        List<Row> spawn = group(rows, "spawnjoin");
        if (!spawn.isEmpty()) {
            md.append("\n## spawn + join of a trivial task, one at a time (ns per task, lower is better)\n\n");
            table(md, spawn, first(spawn, "SpawnJoin.greenlet"), group(rows, "spawnjoin-cpu"));
            target(md, spawn, group(rows, "spawnjoin-cpu"), List.of("SpawnJoin.greenlet"), SPAWN_JOIN_TARGET_NS, "ns", "spawn+join");
        }
        List<Row> memory = new ArrayList<>(group(rows, "memory-heap"));
        for (Row r : group(rows, "memory-rss")) {
            if (find(rows, "memory-heap", r.key) == null) memory.add(r); // gevent: RSS only
        }
        if (!memory.isEmpty()) {
            md.append("\n## Memory per parked task (bytes per task, lower is better)\n\n");
            md.append("| task | Java heap (min - max) | process RSS | thread stack committed (NMT) | counted | vs coop greenlet |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (Row h : memory) {
                boolean heapBased = h.group.equals("memory-heap");
                Row rss = find(rows, "memory-rss", h.key);
                Row stack = find(rows, "memory-stack", h.key);
                double counted = counted(rows, h);
                Row coop = find(rows, "memory-heap", "greenlet." + h.key.substring(h.key.indexOf('.') + 1));
                double coopCounted = coop == null ? Double.NaN : counted(rows, coop);
                md.append("| ").append(h.label).append(" | ")
                        .append(heapBased ? bytes(h.median) + " (" + bytes(h.min) + " - " + bytes(h.max) + ")" : "-")
                        .append(" | ").append(rss == null ? "-" : bytes(rss.median))
                        .append(" | ").append(stack == null ? "-" : bytes(stack.median))
                        .append(" | ").append(bytes(counted))
                        .append(" | ").append(ratio(counted, coopCounted)).append(" |\n");
            }
            md.append("\nMedian (and range) of ").append(s.smoke ? "1 round" : "5 rounds, after 3 unmeasured warm-up rounds,")
                    .append(" in one fresh JVM per row. The frames of a parked task are copied as the JIT left them"
                    + " (interpreted and C1 frames are larger than C2 frames), so a parked task weighs less once"
                    + " its code is fully compiled: the minimum is the steady state of a long-running process."
                    + " \"counted\": the Java heap for greenlets and virtual threads (a parked one's frames are copied into a"
                    + " heap StackChunk); heap + committed thread stack (Native Memory Tracking) for platform threads;"
                    + " RSS growth for gevent (CPython objects and greenlet stack copies are malloc'd)."
                    + " RSS is shown for reference: for heap-based tasks it mostly shows how many heap pages the GC had"
                    + " touched before, not the tasks.\n");
            Row g10 = find(rows, "memory-heap", "greenlet.10");
            if (g10 != null) {
                targetLine(md, "memory per parked greenlet (10 frames), median", g10.median, MEMORY_TARGET_BYTES, "B");
                targetLine(md, "memory per parked greenlet (10 frames), steady state (minimum)", g10.min, MEMORY_TARGET_BYTES, "B");
            }
        }
        return md.toString();
    }

    private static double counted(List<Row> rows, Row heapOrRss) {
        Row stack = find(rows, "memory-stack", heapOrRss.key);
        return heapOrRss.median + (stack == null ? 0 : stack.median);
    }

    private static void table(StringBuilder md, List<Row> rows, Row ref, List<Row> cpuRows) {
        Row cpuRef = ref == null ? null : cpuRows.stream().filter(c -> c.key.equals(ref.key)).findFirst().orElse(null);
        md.append("| variant | median | min - max | samples | vs coop | CPU time median | CPU vs coop |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Row cpu = cpuRows.stream().filter(c -> c.key.equals(r.key)).findFirst().orElse(null);
            md.append("| ").append(r.label).append(" | ").append(num(r.median)).append(" | ").append(num(r.min)).append(" - ")
                    .append(num(r.max)).append(" | ").append(r.samples).append(" | ")
                    .append(ref == null ? "-" : ratio(r.median, ref.median)).append(" | ")
                    .append(cpu == null ? "-" : num(cpu.median)).append(" | ")
                    .append(cpu == null || cpuRef == null ? "-" : ratio(cpu.median, cpuRef.median)).append(" |\n");
        }
        if (ref != null) {
            md.append("\n\"median\": wall-clock time per operation (JMH average time of each iteration), median over the"
                    + " iterations; \"vs coop\": that median / the median of \"").append(ref.label).append("\". \"CPU time\":"
                    + " process CPU time per operation (io.coop.bench.CpuTimeProfiler: all threads, JIT and GC included),"
                    + " steadier than wall-clock time when other work competes for the cores.\n");
        }
    }

    private static void target(StringBuilder md, List<Row> rows, List<Row> cpuRows, List<String> keys, double target, String unit,
            String what) {
        for (String k : keys) {
            Row r = rows.stream().filter(x -> x.key.equals(k)).findFirst().orElse(null);
            if (r != null) targetLine(md, what + " (" + r.label + "), wall-clock median", r.median, target, unit);
            Row c = cpuRows.stream().filter(x -> x.key.equals(k)).findFirst().orElse(null);
            if (c != null) targetLine(md, what + " (" + c.label + "), CPU time median", c.median, target, unit);
        }
    }

    private static void targetLine(StringBuilder md, String what, double value, double target, String unit) {
        md.append("\nTarget: ").append(what).append(" <= ").append(num(target)).append(' ').append(unit).append(": ");
        if (value <= target) {
            md.append("**met** (").append(num(value)).append(' ').append(unit).append(").\n");
        } else {
            md.append("**missed** by ").append(num(value - target)).append(' ').append(unit)
                    .append(String.format(Locale.ROOT, " (%.0f%% over: %s %s).%n", 100 * (value / target - 1), num(value), unit));
        }
    }

    private static List<Row> group(List<Row> rows, String g) {
        return rows.stream().filter(r -> r.group.equals(g)).toList();
    }

    private static Row find(List<Row> rows, String g, String key) {
        return rows.stream().filter(r -> r.group.equals(g) && r.key.equals(key)).findFirst().orElse(null);
    }

    private static Row first(List<Row> rows, String... keys) {
        for (String k : keys) {
            for (Row r : rows) if (r.key.equals(k)) return r;
        }
        return null;
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "-";
        if (v >= 10_000) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String bytes(double v) {
        if (Double.isNaN(v)) return "-";
        if (Math.abs(v) >= 10 * 1024) return String.format(Locale.ROOT, "%.1f KB", v / 1024);
        return String.format(Locale.ROOT, "%.0f B", v);
    }

    static String ratio(double v, double ref) {
        if (Double.isNaN(v) || Double.isNaN(ref) || ref == 0) return "-";
        return String.format(Locale.ROOT, v / ref >= 10 ? "%.0fx" : "%.2fx", v / ref);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
