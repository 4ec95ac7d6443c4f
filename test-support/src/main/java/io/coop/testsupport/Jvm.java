package io.coop.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches a test program in a fresh JVM (the JDK running the tests), with or without
 * {@code -javaagent:coop.jar} or {@code Monkey.patchAll()}, and parses its RESULT line (see
 * {@link Probe}). coop.jar is found through the {@code coop.jar} system property (the build
 * passes {@code agent/target/coop.jar}); the program's class path is the {@code coop.testClasses}
 * directory plus this library, unless {@link #classpath(String)} sets it.
 *
 * <pre>{@code
 * Jvm.Run r = Jvm.agent().run("testapps.SleepApp", "200", "500");
 * r.field("osThreads");   // "1"
 * }</pre>
 */
public final class Jvm {
    /** How the program is started: as is, under {@code -javaagent:coop.jar}, or calling {@code Monkey.patchAll()} first. */
    public enum Mode { PLAIN, AGENT, PATCH_ALL }

    private final Mode mode;
    private final List<String> jvmArgs = new ArrayList<>();
    private String agentOptions;
    private String classpath;
    private boolean verifyJdk = true;
    private Duration timeout = Duration.ofSeconds(60);

    private Jvm(Mode mode) {
        this.mode = mode;
    }

    public static Jvm plain() {
        return new Jvm(Mode.PLAIN);
    }

    public static Jvm agent() {
        return new Jvm(Mode.AGENT);
    }

    public static Jvm patchAll() {
        return new Jvm(Mode.PATCH_ALL);
    }

    public static Jvm of(Mode mode) {
        return new Jvm(mode);
    }

    public Mode mode() {
        return mode;
    }

    /** The agent's options ({@code -javaagent:coop.jar=OPTIONS}). */
    public Jvm options(String agentOptions) {
        this.agentOptions = agentOptions;
        return this;
    }

    /** Runs the program from {@code dir} alone instead of the test classes. */
    public Jvm classpath(Path dir) {
        return classpath(dir.toString());
    }

    /** Runs the program with this class path (entries separated by {@link File#pathSeparator}). */
    public Jvm classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    /** Without bytecode verification of the JDK's own (woven) classes: for timing start-up as users see it. */
    public Jvm withoutJdkVerification() {
        verifyJdk = false;
        return this;
    }

    public Jvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** How long {@link #run} lets the program run before it kills it and fails (60 s unless set). */
    public Jvm timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The agent jar: the {@code coop.jar} system property, else target/coop.jar; fails if it is not built. */
    public static Path coopJar() {
        Path p = Path.of(System.getProperty("coop.jar", "target/coop.jar"));
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no " + p.toAbsolutePath() + ": run the tests with mvn verify (after package)");
        return p;
    }

    /** The test classes directory: the {@code coop.testClasses} system property, else target/test-classes. */
    public static Path testClasses() {
        return Path.of(System.getProperty("coop.testClasses", "target/test-classes"));
    }

    /** Where this library's classes are (a jar or a directory): launched programs need it for {@link Probe}. */
    public static Path supportLocation() {
        try {
            return Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The java command of the running JVM. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Runs {@code mainClass} with {@code args}; fails the test if it does not end within the timeout. */
    public Run run(String mainClass, String... args) throws IOException, InterruptedException {
        return runWith(java(), mainClass, args);
    }

    /** The command line that {@link #run} would start, for a test that drives the process itself. */
    public List<String> command(String mainClass, String... args) {
        return commandWith(java(), mainClass, args);
    }

    /** The command line that {@link #runWith} would start. */
    public List<String> commandWith(String javaCommand, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand);
        cmd.add("-Xshare:auto");
        if (verifyJdk && mode != Mode.PLAIN && !javaCommand.contains("17")) {
            // verify the JDK classes coop wove too (the JVM trusts the boot loader's classes by default)
            cmd.add("-XX:+UnlockDiagnosticVMOptions");
            cmd.add("-XX:+BytecodeVerificationLocal");
        }
        cmd.addAll(jvmArgs);
        String cp = classpath != null ? classpath : testClasses() + File.pathSeparator + supportLocation();
        switch (mode) {
            case AGENT -> cmd.add("-javaagent:" + coopJar() + (agentOptions == null ? "" : "=" + agentOptions));
            case PATCH_ALL -> {
                cp = cp + File.pathSeparator + coopJar();
                cmd.add("-Dapp.patchAll=true");
                cmd.add("-XX:+EnableDynamicAgentLoading");
            }
            case PLAIN -> { }
        }
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public Run runWith(String javaCommand, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = commandWith(javaCommand, mainClass, args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path out = Files.createTempFile("coop-it", ".out");
        Path err = Files.createTempFile("coop-it", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String threads = threadDump(p.pid()); // where it hangs: the one thing a hang leaves to read
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(mainClass + " (" + mode + ") did not end within " + timeout.toSeconds() + " s; stdout: " + Files.readString(out)
                    + " stderr: " + Files.readString(err) + "\nits threads when it was stopped:\n" + threads);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Run r = new Run(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), ms);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** {@code jcmd PID Thread.print} of a launched JVM (virtual threads included), or why there is none. */
    private static String threadDump(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process d = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String text = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            d.waitFor(20, TimeUnit.SECONDS);
            return text;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** What a launched program did. */
    public record Run(List<String> command, int exit, String out, String err, long wallMs) {
        /** The fields of the RESULT line (key=value); fails if there is none. */
        public Map<String, String> result() {
            for (String line : out.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    Map<String, String> m = new HashMap<>();
                    for (String kv : line.substring(7).trim().split(" ")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    return m;
                }
            }
            throw new AssertionError("no RESULT line; " + this);
        }

        public String field(String key) {
            String v = result().get(key);
            if (v == null) throw new AssertionError("no field " + key + " in the RESULT line; " + this);
            return v;
        }

        public long number(String key) {
            return Long.parseLong(field(key));
        }

        @Override
        public String toString() {
            return "exit " + exit + " of " + String.join(" ", command) + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
