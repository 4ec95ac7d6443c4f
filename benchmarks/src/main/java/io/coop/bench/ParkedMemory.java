package io.coop.bench;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Waiter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Memory per parked task: parks {@code count} tasks of one kind, each recursing {@code depth}
 * frames deep before it waits, and prints what that cost per task. Run one kind per fresh JVM
 * (see {@link BenchMain}, which does it for every kind and depth):
 *
 * <pre>{@code
 * java --add-opens=java.base/java.lang=ALL-UNNAMED -XX:NativeMemoryTracking=summary \
 *      -cp benchmarks/target/benchmarks.jar io.coop.bench.ParkedMemory greenlet 10 20000
 * }</pre>
 *
 * <p>Kinds: {@code greenlet} (waits on a coop {@link Waiter}), {@code virtual} (a virtual
 * thread of the JDK's default scheduler waiting on a {@link CountDownLatch}), {@code platform}
 * (a platform thread waiting on the same latch). What is counted:
 * <ul>
 * <li>heap: Java heap used after full GCs, after minus before, divided by count. For greenlets
 *   and virtual threads this is everything: the thread object, its continuation and the stack
 *   chunk the frozen frames were copied into, the waiter, the greenlet object.</li>
 * <li>rss: the process resident set (VmRSS), after minus before, divided by count: for platform
 *   threads this holds their native stacks and thread structures.</li>
 * <li>stack: committed thread-stack memory per Native Memory Tracking (platform threads; needs
 *   {@code -XX:NativeMemoryTracking=summary}), after minus before, divided by count.</li>
 * </ul>
 * Each JVM first parks and releases {@code count} tasks {@code coop.bench.warmupRounds} times
 * (default 3) without measuring, so that the code on the parked stacks is compiled (a frozen
 * frame is copied as it is: interpreted and C1 frames are larger than C2 frames, and a greenlet
 * parked early weighs up to 70% more), then measures {@code coop.bench.rounds} times (default 5),
 * one RESULT line per round.
 * {@code -Dcoop.bench.histogram=true} prints a class histogram at both snapshots (what the bytes are).
 * The recursion is kept out of the inliner (BenchMain passes {@code -XX:CompileCommand=dontinline}
 * for {@link #descend}), so {@code depth} is the number of real frames it adds.
 */
public final class ParkedMemory {
    private static final AtomicInteger PARKED = new AtomicInteger();
    private static volatile int stackDepthSeen;

    private ParkedMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ParkedMemory greenlet|virtual|platform DEPTH COUNT");
            System.exit(2);
        }
        String kind = args[0];
        int depth = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int rounds = Integer.getInteger("coop.bench.rounds", 5);
        int warmupRounds = Integer.getInteger("coop.bench.warmupRounds", 3);
        warmUp(depth);
        for (int round = -warmupRounds; round < rounds; round++) {
            Result r = switch (kind) {
                case "greenlet" -> greenlets(depth, count);
                case "virtual" -> threads(Thread.ofVirtual().factory(), depth, count);
                case "platform" -> threads(Thread.ofPlatform().daemon().factory(), depth, count);
                default -> throw new IllegalArgumentException("unknown kind: " + kind);
            };
            if (round < 0) {
                Thread.sleep(200); // let the JIT finish what the warm-up queued
                continue;
            }
            System.out.printf(java.util.Locale.ROOT, "RESULT kind=%s depth=%d count=%d heap=%.1f rss=%.1f stack=%.1f frames=%d%n",
                    kind, depth, count, r.heap, r.rss, r.stack, stackDepthSeen);
        }
    }

    record Result(double heap, double rss, double stack) {
    }

    /** Recurses {@code depth} frames, then runs {@code atBottom}. Not inlined (see the class comment). */
    static int descend(int depth, Runnable atBottom) {
        if (depth == 0) {
            atBottom.run();
            return 0;
        }
        return descend(depth - 1, atBottom) + 1;
    }

    private static void warmUp(int depth) {
        // compile descend before anything is measured, so every parked stack has the same frames;
        // three lambda classes make its call of atBottom megamorphic now, so that the ones used
        // later cannot deoptimise it mid-measurement (a JVM once kept it interpreted: 3x the bytes)
        int[] sink = new int[1];
        Runnable[] bottoms = {() -> sink[0]++, () -> sink[0] += 2, () -> sink[0] += 3};
        for (int i = 0; i < 30_000; i++) sink[0] += descend(depth, bottoms[i % 3]);
        if (sink[0] <= 0) throw new AssertionError();
    }

    private static void recordDepth() {
        if (stackDepthSeen == 0) stackDepthSeen = Thread.currentThread().getStackTrace().length;
    }

    // ------------------------------------------------------------ greenlets

    private static Result greenlets(int depth, int count) {
        stackDepthSeen = 0;
        Snapshot before = Snapshot.take();
        List<Waiter<Void>> waiters = new ArrayList<>(count);
        List<Greenlet<?>> parked = parkGreenletsKeep(depth, count, waiters);
        Snapshot after = Snapshot.take();
        for (Waiter<Void> w : waiters) w.wake(null);
        Coop.joinAll(parked);
        return after.minus(before, count);
    }

    /** Spawns from the hub thread's main greenlet; one sleep(0) runs each greenlet to its wait. */
    private static List<Greenlet<?>> parkGreenletsKeep(int depth, int count, List<Waiter<Void>> waiters) {
        PARKED.set(0);
        List<Greenlet<?>> gs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            gs.add(Coop.spawn(() -> descend(depth, () -> {
                Waiter<Void> w = new Waiter<>("parked");
                waiters.add(w);
                recordDepth();
                PARKED.incrementAndGet();
                w.await();
            })));
        }
        while (PARKED.get() < count) Coop.sleep(0);
        return gs;
    }

    // ------------------------------------------------------------ threads

    private static Result threads(java.util.concurrent.ThreadFactory factory, int depth, int count)
            throws InterruptedException {
        stackDepthSeen = 0;
        Snapshot before = Snapshot.take();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ts = parkThreadsKeep(factory, depth, count, release);
        Snapshot after = Snapshot.take();
        release.countDown();
        for (Thread t : ts) t.join();
        return after.minus(before, count);
    }

    private static List<Thread> parkThreadsKeep(java.util.concurrent.ThreadFactory factory, int depth, int count,
            CountDownLatch release) throws InterruptedException {
        PARKED.set(0);
        List<Thread> ts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Thread t = factory.newThread(() -> descend(depth, () -> {
                recordDepth();
                PARKED.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            t.start();
            ts.add(t);
        }
        while (PARKED.get() < count) Thread.sleep(5);
        for (Thread t : ts) {
            while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        }
        return ts;
    }

    // ------------------------------------------------------------ measuring

    record Snapshot(long heap, long rss, long stack) {
        static Snapshot take() {
            for (int i = 0; i < 4; i++) System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Snapshot s = new Snapshot(heap, rssBytes(), threadStackCommitted());
            if (Boolean.getBoolean("coop.bench.histogram")) System.out.println(diagnostic("gcClassHistogram"));
            return s;
        }

        Result minus(Snapshot before, int count) {
            return new Result((heap - before.heap) / (double) count, (rss - before.rss) / (double) count,
                    stack < 0 || before.stack < 0 ? -1 : (stack - before.stack) / (double) count);
        }
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    private static final Pattern NMT_STACK = Pattern.compile("\\(stack: reserved=(\\d+)KB, committed=(\\d+)KB");

    /** Committed thread stacks per Native Memory Tracking, in bytes; -1 when NMT is off. */
    static long threadStackCommitted() {
        Matcher m = NMT_STACK.matcher(diagnostic("vmNativeMemory", "summary"));
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    /** The output of a diagnostic command (as jcmd runs it), or "" if it failed. */
    static String diagnostic(String command, String... args) {
        try {
            return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), command,
                    new Object[] {args}, new String[] {String[].class.getName()}));
        } catch (Exception e) {
            return "";
        }
    }
}
