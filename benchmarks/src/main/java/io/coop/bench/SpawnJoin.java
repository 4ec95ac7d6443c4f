package io.coop.bench;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of starting a trivial task and waiting for it to end, one at a time: a greenlet
 * ({@code Coop.spawn(task).join()}), a virtual thread ({@code Thread.ofVirtual().start(r).join()})
 * and a platform thread. Greenlets and virtual threads are spawned from a greenlet / virtual
 * thread, {@link #BATCH} per invocation; platform threads from the JMH thread, one per invocation.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SpawnJoin   # or benchmarks/run.sh
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Flags.OPENS, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class SpawnJoin {
    /** Spawn+joins per invocation for greenlets and virtual threads. */
    public static final int BATCH = 1_000;

    private static final Callable<Integer> TASK = () -> 1;
    private static final Runnable NOOP = () -> { };

    /** A greenlet spawns a greenlet and joins it, {@link #BATCH} times, on one hub. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int greenlet() {
        Greenlet<Integer> driver = Coop.spawn(() -> {
            int sum = 0;
            for (int i = 0; i < BATCH; i++) {
                Greenlet<Integer> g = Coop.spawn(TASK);
                g.join();
                sum += g.value();
            }
            return sum;
        });
        driver.join();
        if (driver.value() != BATCH) throw new AssertionError("lost greenlets: " + driver.value());
        return driver.value();
    }

    /** A virtual thread starts a virtual thread and joins it, {@link #BATCH} times (default scheduler). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int virtualThread() throws InterruptedException {
        int[] sum = new int[1];
        Thread driver = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < BATCH; i++) {
                    Thread.ofVirtual().start(NOOP).join();
                    sum[0]++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        driver.join();
        if (sum[0] != BATCH) throw new AssertionError("lost threads: " + sum[0]);
        return sum[0];
    }

    /** The JMH thread starts a platform thread and joins it. */
    @Benchmark
    public Thread platformThread() throws InterruptedException {
        Thread t = Thread.ofPlatform().start(NOOP);
        t.join();
        return t;
    }
}
