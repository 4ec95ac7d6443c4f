package io.coop;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a hub orders its work: first in first out (the default), or by a seeded pseudo-random
 * strategy that replays exactly for the same seed; whether its clock is virtual; and where it
 * writes a trace of every switch. Immutable.
 *
 * <pre>{@code
 * Schedule s = Schedule.seeded(42).withTrace(Path.of("target/run-42.trace"));
 * Coop.run(s, () -> { ... });                 // same seed, same interleaving, event for event
 * Schedule fromSettings = Schedule.fromConfig(); // coop.seed, coop.virtualTime, coop.schedule, coop.trace
 * }</pre>
 *
 * <p>With a seed, simultaneous wake-ups, timers due together and descriptors ready together
 * are ordered by the seed's generator, and with virtual time (on by default with a seed) the
 * hub's clock only moves when no greenlet can run and no descriptor is ready: it then jumps to
 * the next timer. What stays reproducible is what happens inside the JVM; see
 * docs/finding-races.md.
 */
public final class Schedule {
    /** The order a hub runs what is ready in. */
    public enum Strategy {
        /** First in first out: gevent's order, and the default without a seed. */
        FIFO,
        /** Each pass runs its ready greenlets in an order drawn from the seed's generator. */
        RANDOM,
        /**
         * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): greenlets get
         * random distinct priorities, the highest ready one runs, and at a few random steps the
         * running one drops to the lowest priority. Finds bugs that need a few specific
         * preemption points with a known probability.
         */
        PCT
    }

    private static final Schedule FIFO = new Schedule(null, false, Strategy.FIFO, null, PctSettings.DEFAULT);

    private final Long seed;
    private final boolean virtualTime;
    private final Strategy strategy;
    private final Path trace;
    private final PctSettings pct;

    /** PCT's two knobs: the bug depth it aims at (change points + 1) and the steps it expects a run to take. */
    record PctSettings(int depth, int expectedSteps) {
        static final PctSettings DEFAULT = new PctSettings(3, 10_000);
    }

    private Schedule(Long seed, boolean virtualTime, Strategy strategy, Path trace, PctSettings pct) {
        this.seed = seed;
        this.virtualTime = virtualTime;
        this.strategy = strategy;
        this.trace = trace;
        this.pct = pct;
    }

    /** First in first out, real time, no trace: what a hub does when nothing is set. */
    public static Schedule fifo() {
        return FIFO;
    }

    /** The {@link Strategy#RANDOM} order of {@code seed}, with virtual time. */
    public static Schedule seeded(long seed) {
        return new Schedule(seed, true, Strategy.RANDOM, null, PctSettings.DEFAULT);
    }

    /**
     * The schedule the {@code coop.*} settings describe: {@code coop.seed}, {@code coop.virtualTime}
     * (default: on when a seed is set), {@code coop.schedule=random|pct} (needs a seed) and
     * {@code coop.trace=FILE}. Bad values are errors naming the setting.
     */
    public static Schedule fromConfig() {
        Long seed = Config.seed();
        Schedule s = seed == null ? FIFO : seeded(seed);
        String strategy = Config.get("schedule");
        if (strategy != null && !strategy.isBlank()) {
            Strategy chosen = switch (strategy.trim().toLowerCase(Locale.ROOT)) {
                case "random" -> Strategy.RANDOM;
                case "pct" -> Strategy.PCT;
                case "fifo" -> Strategy.FIFO;
                default -> throw new IllegalArgumentException("coop.schedule must be random, pct or fifo; got '" + strategy + "'");
            };
            if (chosen != Strategy.FIFO && seed == null) {
                throw new IllegalArgumentException("coop.schedule=" + strategy.trim() + " needs a seed: set coop.seed too");
            }
            s = s.withStrategy(chosen);
        }
        s = s.withVirtualTime(Config.flag("virtualTime", s.virtualTime));
        String trace = Config.get("trace");
        if (trace != null && !trace.isBlank()) s = s.withTrace(Path.of(trace.trim()));
        return s;
    }

    /** This schedule with its clock virtual (jumping to the next timer when the hub is idle) or real. */
    public Schedule withVirtualTime(boolean on) {
        return new Schedule(seed, on, strategy, trace, pct);
    }

    /** This schedule with another strategy; {@link Strategy#RANDOM} and {@link Strategy#PCT} need a seed. */
    public Schedule withStrategy(Strategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        if (strategy != Strategy.FIFO && seed == null) {
            throw new IllegalArgumentException(strategy + " needs a seed: start from Schedule.seeded(n)");
        }
        return new Schedule(seed, virtualTime, strategy, trace, pct);
    }

    /** This schedule writing one line per switch to {@code file} (replaced at the start of each run); null for none. */
    public Schedule withTrace(Path file) {
        return new Schedule(seed, virtualTime, strategy, file, pct);
    }

    /** This schedule with PCT aiming at bugs of {@code depth} ordering constraints in runs of about {@code expectedSteps} switches. */
    public Schedule withPct(int depth, int expectedSteps) {
        if (depth < 1) throw new IllegalArgumentException("PCT depth must be at least 1: " + depth);
        if (expectedSteps < 1) throw new IllegalArgumentException("PCT expected steps must be at least 1: " + expectedSteps);
        return new Schedule(seed, virtualTime, strategy, trace, new PctSettings(depth, expectedSteps));
    }

    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    public boolean virtualTime() {
        return virtualTime;
    }

    public Strategy strategy() {
        return strategy;
    }

    public Optional<Path> trace() {
        return Optional.ofNullable(trace);
    }

    PctSettings pct() {
        return pct;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && Objects.equals(seed, s.seed) && virtualTime == s.virtualTime
                && strategy == s.strategy && Objects.equals(trace, s.trace) && pct.equals(s.pct);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, virtualTime, strategy, trace, pct);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Schedule[").append(strategy);
        if (seed != null) sb.append(", seed=").append(seed);
        if (virtualTime) sb.append(", virtual time");
        if (strategy == Strategy.PCT) sb.append(", depth=").append(pct.depth()).append(", steps=").append(pct.expectedSteps());
        if (trace != null) sb.append(", trace=").append(trace);
        return sb.append(']').toString();
    }
}
