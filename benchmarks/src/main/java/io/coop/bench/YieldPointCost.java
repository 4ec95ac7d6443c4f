package io.coop.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code coop.preempt} costs ordinary CPU-bound code: the yield point it weaves before each
 * loop back-edge of application classes is one volatile read, but it also stands in the JIT's way
 * (no vectorized or unrolled counted loops). The loops of {@link cpuapp.Loops}, application code
 * that knows nothing of coop, are run under the agent with and without {@code coop.preempt},
 * alternating, in one run, and each workload's ratio printed.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.coop.bench.YieldPointCost agent/target/coop.jar 10ms 3
 * }</pre>
 */
public final class YieldPointCost {
    private YieldPointCost() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "agent/target/coop.jar";
        String preempt = args.length > 1 ? args[1] : "10ms";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Map<String, List<Double>> off = new LinkedHashMap<>();
        Map<String, List<Double>> on = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            collect(child(jar, null), off);
            collect(child(jar, preempt), on);
        }
        System.out.println("workload,ns_per_op_agent,ns_per_op_agent_preempt_" + preempt + ",ratio");
        for (String w : off.keySet()) {
            double a = median(off.get(w));
            double b = median(on.get(w));
            System.out.printf(Locale.ROOT, "%s,%.3f,%.3f,%.2f%n", w, a, b, b / a);
        }
    }

    private static List<String> child(String jar, String preempt) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.add("-javaagent:" + jar);
        if (preempt != null) cmd.add("-Dcoop.preempt=" + preempt);
        cmd.add("-Dcoop.monitor=false");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "cpuapp.Loops"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (p.waitFor() != 0) throw new IllegalStateException("child failed: " + String.join("\n", lines));
        return lines;
    }

    private static void collect(List<String> lines, Map<String, List<Double>> into) {
        for (String l : lines) {
            int eq = l.indexOf('=');
            if (eq < 0) continue;
            into.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(Double.parseDouble(l.substring(eq + 1)));
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
