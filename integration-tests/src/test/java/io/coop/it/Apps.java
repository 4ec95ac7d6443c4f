package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /**
     * The blocking monitor stayed quiet: start-up work (class loading, a SecureRandom seeded in a
     * class initializer, the driver's handshake) is not a blocking problem, and the program has none.
     */
    static void assertMonitorQuiet(Jvm.Run r) {
        assertFalse(r.err().contains("has been blocked for"), () -> "the blocking monitor reported a blocked hub; " + r);
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

    /** The same answers, byte for byte, with and without the agent (the RESULT line's {@code responses} digest). */
    static void assertSameResponses(Jvm.Run agent, Jvm.Run plain) {
        assertEquals(plain.field("responses"), agent.field("responses"),
                () -> "the same responses as without the agent; under the agent: " + agent + "\nwithout: " + plain);
    }

    /** Prints a server's figures side by side (docs/known-good-libraries.md): start-up, burst, requests/s, OS threads, stop. */
    static void printFigures(String server, Jvm.Run agent, Jvm.Run plain) {
        printFigures(server, agent, plain, "startMs", "requestsMs", "requestsPerSecond", "osThreads", "processOsThreads", "stopMs");
    }

    /**
     * Prints the named RESULT fields of both runs side by side, agent / without; {@code osThreads}
     * is the OS threads that ran application code, {@code processOsThreads} the whole process's.
     */
    static void printFigures(String server, Jvm.Run agent, Jvm.Run plain, String... fields) {
        StringBuilder b = new StringBuilder("[coop-it] figures ").append(server).append(" (agent / without):");
        for (int k = 0; k < fields.length; k++) {
            String f = fields[k];
            b.append(k > 0 ? ", " : " ").append(f).append(f.equals("osThreads") ? " (application code) " : " ")
                    .append(agent.field(f)).append(" / ").append(plain.field(f));
        }
        System.out.println(b);
    }

    /**
     * Runs an executable jar as users do, {@code java [-javaagent:coop.jar] -jar app.jar args}, with
     * {@code jvm}'s mode, JVM options and time limit (its class path is not used); kills it and
     * fails when the time is up.
     */
    static Jvm.Run runJar(Jvm jvm, Duration timeout, Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(jvm.command("-"));
        cmd.subList(cmd.size() - 3, cmd.size()).clear(); // -cp <class path> -
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("coop-it", ".out");
        Path err = Files.createTempFile("coop-it", ".err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(jar.getFileName() + " did not end within " + timeout.toSeconds() + " s; stdout: " + Files.readString(out)
                        + " stderr: " + Files.readString(err));
            }
            return new Jvm.Run(cmd, p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
