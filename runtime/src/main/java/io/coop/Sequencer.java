package io.coop;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The decisions a hub's {@link Schedule} changes, in one place: the order each pass runs its
 * ready tasks in (seeded random, or PCT) and the trace of every switch. A hub on the default
 * schedule (first in first out, no trace) has no sequencer at all: it costs nothing there.
 *
 * <p>To order by greenlet and to say why each ran, the hub hands a sequencer each greenlet
 * continuation as a {@link Task} that names the greenlet and what woke it; hub callbacks stay
 * as they are. Hub thread only, except {@link #task} (any thread: a wake-up from elsewhere).
 */
final class Sequencer {
    private final Random random;
    private final boolean reorders;
    private final Pct pct;
    private final BufferedWriter trace;
    private final Path traceFile;
    /** Switches so far: the trace's sequence number and PCT's step count. */
    private long steps;
    /** Greenlet ids already seen to run, so the trace can say "started" for each first run. */
    private final java.util.BitSet started = new java.util.BitSet();

    private Sequencer(Schedule schedule) {
        long seed = schedule.seed().orElse(0);
        this.random = new Random(seed);
        this.reorders = schedule.strategy() != Schedule.Strategy.FIFO;
        this.pct = schedule.strategy() == Schedule.Strategy.PCT ? new Pct(schedule.pct(), random) : null;
        this.traceFile = schedule.trace().orElse(null);
        this.trace = traceFile == null ? null : openTrace(traceFile, schedule);
        if (trace != null) Runtime.getRuntime().addShutdownHook(flushAtExit);
    }

    /** The sequencer for {@code schedule}, or null when the hub needs none (FIFO, no trace). */
    static Sequencer of(Schedule schedule) {
        if (schedule.strategy() == Schedule.Strategy.FIFO && schedule.trace().isEmpty()) return null;
        return new Sequencer(schedule);
    }

    /** True when the schedule reorders (a seed): what is ready together must not depend on timing. */
    boolean reorders() {
        return reorders;
    }

    /** True when the sequencer wants {@link Task}s: it orders by greenlet or traces. */
    boolean wantsTasks() {
        return reorders || trace != null;
    }

    // ---------------------------------------------------------------- tasks

    /** A greenlet's continuation as the sequencer sees it: whose it is and why it became ready. */
    static final class Task implements Runnable {
        final Greenlet<?> greenlet;
        final Runnable continuation;
        /** Why it became ready, for the trace; null when not tracing. */
        final String cause;

        Task(Greenlet<?> greenlet, Runnable continuation, String cause) {
            this.greenlet = greenlet;
            this.continuation = continuation;
            this.cause = cause;
        }

        @Override
        public void run() {
            continuation.run();
        }
    }

    /** Wraps {@code continuation} of {@code g}, made ready because of {@code cause} (see {@link #describe}). */
    Runnable task(Greenlet<?> g, Runnable continuation, Object cause) {
        return new Task(g, continuation, trace == null ? null : describe(cause));
    }

    /**
     * What woke a greenlet, in words that are the same in every run with the same seed: another
     * greenlet (by id and name), a timer, a descriptor, a hub callback, or another thread (by name).
     */
    static String describe(Object cause) {
        if (cause == null) return "ready";
        if (cause instanceof Greenlet<?> g) return "woken by g" + g.id + " " + g.name();
        if (cause instanceof Thread t) return "woken by thread " + stableName(t.getName());
        if (cause instanceof Runnable r) return "woken by " + describeTask(r);
        return cause.toString();
    }

    /** A hub task other than a greenlet's, in words that do not change from run to run (no hash codes). */
    static String describeTask(Runnable task) {
        Runnable what = task instanceof RunQueue.Callback cb ? cb.action() : task;
        return (task instanceof RunQueue.Callback ? "callback " : "task ") + stableName(what.getClass().getName());
    }

    /** A lambda's class name without the per-run suffix the JVM gives it. */
    static String stableName(String name) {
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda) + "$$Lambda";
    }

    // ---------------------------------------------------------------- ordering a pass

    /** Reorders the first {@code n} tasks of {@code ready} (the tasks of the pass about to run). */
    void orderPass(ArrayDeque<Runnable> ready, int n) {
        if (!reorders || n < 2) return;
        Runnable[] pass = new Runnable[n];
        for (int i = 0; i < n; i++) pass[i] = ready.pollFirst();
        // the order tasks arrived in can depend on timing (which poll saw a descriptor turn
        // ready); which tasks the pass holds does not: start from an order by greenlet
        Arrays.sort(pass, Sequencer::byGreenlet);
        if (pct != null) {
            pct.order(pass);
        } else {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Runnable tmp = pass[i];
                pass[i] = pass[j];
                pass[j] = tmp;
            }
        }
        for (int i = n - 1; i >= 0; i--) ready.addFirst(pass[i]);
    }

    /** Hub callbacks first, in the order they were posted (a stable sort keeps it), then greenlets by id. */
    private static int byGreenlet(Runnable a, Runnable b) {
        long ia = a instanceof Task t ? t.greenlet.id : -1;
        long ib = b instanceof Task t ? t.greenlet.id : -1;
        return Long.compare(ia, ib);
    }

    // ---------------------------------------------------------------- each switch

    /** Called as the hub runs {@code task}: counts the step, moves PCT's change points, writes the trace line. */
    void running(Runnable task) {
        steps++;
        Task t = task instanceof Task k ? k : null;
        if (pct != null && t != null) pct.step(steps, t.greenlet);
        if (trace == null) return;
        StringBuilder line = new StringBuilder(64).append(steps).append('\t');
        if (t != null) {
            Greenlet<?> g = t.greenlet;
            line.append('g').append(g.id).append('\t').append(g.name()).append('\t');
            int id = (int) Math.min(Integer.MAX_VALUE, g.id);
            if (!started.get(id)) {
                started.set(id);
                line.append(t.cause.startsWith("woken by ") ? "started by " + t.cause.substring(9) : "started, " + t.cause);
            } else {
                line.append(t.cause);
            }
        } else {
            line.append("hub\t-\t").append(describeTask(task));
        }
        try {
            trace.append(line).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + traceFile, e);
        }
    }

    /** Writes out what the trace holds (the hub is going idle: a program may end or be killed while it is). */
    void flush() {
        if (trace == null) return;
        try {
            trace.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + traceFile, e);
        }
    }

    /** Flushes and closes the trace (the end of the run). */
    void close() {
        if (trace == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(flushAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook is running or has run
        }
        try {
            trace.close();
        } catch (IOException e) {
            Hub.log().log(System.Logger.Level.WARNING, "cannot finish the trace " + traceFile + ": " + e.getMessage());
        }
    }

    /**
     * Writes out the trace when the JVM exits in the middle of a run ({@code System.exit}). The
     * thread is coop's own (the agent leaves it an OS thread); BufferedWriter locks each call.
     */
    private final Thread flushAtExit = new Thread(this::flushQuietly, "coop-trace-flush");

    private void flushQuietly() {
        try {
            if (trace != null) trace.flush();
        } catch (IOException e) {
            // the JVM is going: nowhere left to say so
        }
    }

    private static BufferedWriter openTrace(Path file, Schedule schedule) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.append("# coop trace, ").append(schedule.withTrace(null).toString()).append('\n');
            w.append("# step\tgreenlet\tname\twhy it ran\n");
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file + " (coop.trace)", e);
        }
    }

    // ---------------------------------------------------------------- PCT

    /**
     * Probabilistic concurrency testing, adapted to passes: each greenlet gets a random priority
     * when first seen, a pass runs its ready greenlets highest priority first, and at d-1 steps
     * chosen at random among the first k the greenlet running then drops below every initial
     * priority (the j-th change point to priority d-1-j). Hub callbacks keep their place ahead.
     */
    private static final class Pct {
        private final Random random;
        private final int depth;
        private final long[] changePoints;
        private final Map<Long, Long> priority = new HashMap<>();

        Pct(Schedule.PctSettings settings, Random random) {
            this.random = random;
            this.depth = settings.depth();
            this.changePoints = new long[depth - 1];
            for (int i = 0; i < changePoints.length; i++) changePoints[i] = 1 + (long) (random.nextDouble() * settings.expectedSteps());
        }

        private long priorityOf(Greenlet<?> g) {
            return priority.computeIfAbsent(g.id, id -> depth + (random.nextLong() >>> 2));
        }

        void step(long step, Greenlet<?> g) {
            for (int j = 0; j < changePoints.length; j++) {
                if (changePoints[j] == step) priority.put(g.id, (long) (depth - 1 - j));
            }
        }

        void order(Runnable[] pass) {
            // priorities are given in pass order before sorting, so a new greenlet's draw does not
            // depend on how the sort compares; callbacks (no greenlet) stay first, in their order
            long[] key = new long[pass.length];
            Integer[] index = new Integer[pass.length];
            for (int i = 0; i < pass.length; i++) {
                index[i] = i;
                key[i] = pass[i] instanceof Task t ? priorityOf(t.greenlet) : Long.MAX_VALUE;
            }
            Arrays.sort(index, (a, b) -> Long.compare(key[b], key[a])); // stable: equal keys keep pass order
            Runnable[] sorted = new Runnable[pass.length];
            for (int i = 0; i < pass.length; i++) sorted[i] = pass[index[i]];
            System.arraycopy(sorted, 0, pass, 0, pass.length);
        }
    }
}
