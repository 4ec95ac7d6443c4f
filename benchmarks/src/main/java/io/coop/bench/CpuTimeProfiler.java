package io.coop.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time the benchmark JVM spent per operation
 * ({@code cpu.time.norm}, ns/op): the process CPU time of each iteration divided by its
 * operations. On a shared, loaded machine, wall-clock time per operation grows whenever the
 * benchmark's threads wait for a core; CPU time does not, so it is the steadier figure to compare
 * (it also counts the work of every thread of a multi-thread benchmark, and the JIT and GC).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main PingPong -prof io.coop.bench.CpuTimeProfiler
 * }</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    /** Name of the secondary result. */
    public static final String CPU_NORM = "cpu.time.norm";

    private long cpuBefore;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = processCpuNanos();
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's signature
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long cpu = processCpuNanos() - cpuBefore;
        long ops = result.getMetadata().getAllOps();
        double perOp = ops <= 0 || cpuBefore < 0 ? Double.NaN : cpu / (double) ops;
        return List.of(new ScalarResult(CPU_NORM, perOp, "ns/op", AggregationPolicy.AVG));
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
