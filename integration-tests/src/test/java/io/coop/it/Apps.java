package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one of the programs in {@code apps} (plain blocking code using a third-party client,
 * knowing nothing of coop) in a fresh JVM under {@code -javaagent:coop.jar}, with this suite's
 * test class path (the clients, the test classes, {@link io.coop.testsupport.Probe}; coop itself
 * only as the agent), and checks what every scenario claims.
 *
 * <pre>{@code
 * Jvm.Run r = Apps.underAgent("apps.PgApp", url);
 * Apps.assertOneOsThread(r);
 * Apps.assertWithin(r, "sleepMs", 450, 2500, "50 x pg_sleep(0.5) overlap");
 * }</pre>
 */
final class Apps {
    private Apps() {
    }

    /**
     * The programs' class path: the one this test runs with (Maven's test class path of this
     * module). Also written to target/apps.classpath, to run a program by hand:
     * {@code java -javaagent:../agent/target/coop.jar -cp "$(cat target/apps.classpath)" apps.PgApp ...}
     */
    static String classpath() {
        String cp = System.getProperty("java.class.path");
        try {
            Files.writeString(Path.of("target", "apps.classpath"), cp);
        } catch (IOException e) {
            // only a convenience
        }
        return cp;
    }

    static Jvm agent() {
        return Jvm.agent().classpath(classpath()).timeout(Duration.ofSeconds(120));
    }

    static Jvm plain() {
        return Jvm.plain().classpath(classpath()).timeout(Duration.ofSeconds(120));
    }

    /** Runs {@code main} under the agent; fails unless it exits with 0; prints its RESULT line. */
    static Jvm.Run underAgent(String main, String... args) throws Exception {
        return check(agent().run(main, args), main);
    }

    static Jvm.Run check(Jvm.Run r, String main) {
        assertEquals(0, r.exit(), r::toString);
        int reports = r.err().split("has been blocked for", -1).length - 1; // one per incident (its end is a second line)
        System.out.println("[coop-it] " + main + " -> " + r.result()
                + (reports > 0 ? " (" + reports + " blocking-monitor report(s) on stderr)" : ""));
        return r;
    }

    /** Every thread of the program that ran its code (and the client's callbacks) ran on one OS thread. */
    static void assertOneOsThread(Jvm.Run r) {
        assertEquals("1", r.field("osThreads"), () -> "all application threads on one OS thread; " + r);
    }

    /** A duration field of the RESULT line lies in [min, max] ms. */
    static void assertWithin(Jvm.Run r, String field, long min, long max, String what) {
        long ms = r.number(field);
        assertTrue(ms >= min && ms <= max, what + ": " + field + "=" + ms + " ms, expected within [" + min + ", " + max + "]; " + r);
    }
}
