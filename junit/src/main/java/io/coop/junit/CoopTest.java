package io.coop.junit;

import io.coop.Schedule;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method as the main greenlet of a fresh coop hub, with the agent's patches, so the
 * threads, sockets, sleeps and locks of ordinary code all run on that one hub in an order it
 * decides. Once, in first-in-first-out order; or once per seed, each seed a reproducible
 * interleaving; or one seed again, to replay a failure.
 *
 * <pre>{@code
 * @CoopTest(seeds = 100)              // seeds 1..100, each its own test in the report: "seed 17"
 * void cacheFillsOnce() throws Exception {
 *     ...                               // ordinary code: new Thread(...), sockets, Thread.sleep
 * }
 *
 * @CoopTest(seed = 17)                // replays seed 17, event for event
 * void cacheFillsOnceSeed17() throws Exception { ... }
 * }</pre>
 *
 * <p>A failure names its seed, the trace of that run (one line per switch, kept only for
 * failures, under {@code target/coop-traces} or {@code coop.traceDir}) and the annotation that
 * replays it. With a seed, the hub's clock is virtual unless {@link #virtualTime()} says not:
 * sleeps and timeouts complete at once, in order. Start the test JVM with
 * {@code -javaagent:coop.jar} (Surefire's {@code argLine}, see docs/finding-races.md); without it
 * the extension attaches coop to the JVM itself, which the JDK allows with a warning.
 *
 * <p>{@code @BeforeEach}/{@code @AfterEach} methods run before and after the scheduled run, on
 * JUnit's own thread: what the test races belongs in the test method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(CoopExtension.class)
public @interface CoopTest {
    /** The default of {@link #seed()}: no single seed. */
    long NO_SEED = Long.MIN_VALUE;

    /** Run once per seed, seeds {@link #seedBase()} to {@code seedBase + seeds - 1}; 0: once, first in first out. */
    int seeds() default 0;

    /** The first seed of {@link #seeds()}. */
    long seedBase() default 1;

    /** Run once with this seed (a replay); not together with {@link #seeds()}. */
    long seed() default NO_SEED;

    /** The order a seeded run draws: {@link Schedule.Strategy#RANDOM} or {@link Schedule.Strategy#PCT}. */
    Schedule.Strategy strategy() default Schedule.Strategy.RANDOM;

    /** Whether a seeded run's clock is virtual (jumps to the next timer when nothing can run). */
    boolean virtualTime() default true;
}
