package cpuapp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Four CPU-bound loops as application code writes them, each timed in the JVM that runs it
 * (median of 7 rounds after 5 warm-up rounds); prints {@code workload=ns_per_op} lines. Outside
 * {@code io.coop} on purpose: the agent weaves application classes, not coop's own (and the
 * benchmarks jar holds coop). {@code io.coop.bench.YieldPointCost} runs it with and without
 * {@code coop.preempt}.
 *
 * <pre>{@code
 * java -javaagent:coop.jar -Dcoop.preempt=10ms -cp benchmarks.jar cpuapp.Loops
 * }</pre>
 */
public final class Loops {
    private static volatile long sink;

    private Loops() {
    }

    public static void main(String[] args) {
        for (Map.Entry<String, Double> e : workloads().entrySet()) System.out.printf(Locale.ROOT, "%s=%.4f%n", e.getKey(), e.getValue());
    }

    /** ns per operation of each workload, in this JVM. */
    static Map<String, Double> workloads() {
        int[] data = new int[1 << 20];
        for (int i = 0; i < data.length; i++) data[i] = i * 31;
        double[][] a = new double[128][128];
        double[][] b = new double[128][128];
        for (int i = 0; i < 128; i++) for (int j = 0; j < 128; j++) { a[i][j] = i + j; b[i][j] = i - j; }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("arraySum_per_element", time(() -> sink = sum(data), data.length));
        out.put("matmul128_per_multiply_add", time(() -> sink = (long) multiply(a, b), 128L * 128 * 128));
        out.put("collatz_per_step", time(() -> sink = collatz(200_000), collatzSteps(200_000)));
        out.put("hashMap_per_put_get", time(() -> sink = mapWork(100_000), 100_000));
        return out;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static double time(Runnable work, long opsPerRun) {
        for (int i = 0; i < 5; i++) work.run();
        List<Double> rounds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            work.run();
            rounds.add((System.nanoTime() - t0) / (double) opsPerRun);
        }
        return median(rounds);
    }

    static long sum(int[] data) {
        long s = 0;
        for (int x : data) s += x;
        return s;
    }

    static double multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                for (int j = 0; j < n; j++) c[i][j] += aik * b[k][j];
            }
        }
        return c[n / 2][n / 2];
    }

    static long collatz(int limit) {
        long total = 0;
        for (int start = 1; start < limit; start++) {
            long x = start;
            while (x != 1) {
                x = (x & 1) == 0 ? x >> 1 : 3 * x + 1;
                total++;
            }
        }
        return total;
    }

    private static long collatzSteps(int limit) {
        return collatz(limit);
    }

    static long mapWork(int n) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.put(i, i * 7);
        long s = 0;
        for (int i = 0; i < n; i++) s += m.get(i);
        return s;
    }
}
