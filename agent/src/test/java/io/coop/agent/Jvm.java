package io.coop.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches a test program in a fresh JVM (the JDK running the tests), with or without
 * {@code -javaagent:target/coop.jar} or {@code Monkey.patchAll()}, and parses its RESULT line.
 *
 * <pre>{@code
 * Jvm.Run r = Jvm.agent().run("testapps.SleepApp", "200", "500");
 * r.field("osThreads");   // "1"
 * }</pre>
 */
final class Jvm {
    enum Mode { PLAIN, AGENT, PATCH_ALL }

    private final Mode mode;
    private final List<String> jvmArgs = new ArrayList<>();
    private String agentOptions;
    private Path classpath;
    private boolean verifyJdk = true;

    private Jvm(Mode mode) {
        this.mode = mode;
    }

    static Jvm plain() {
        return new Jvm(Mode.PLAIN);
    }

    static Jvm agent() {
        return new Jvm(Mode.AGENT);
    }

    static Jvm patchAll() {
        return new Jvm(Mode.PATCH_ALL);
    }

    static Jvm of(Mode mode) {
        return new Jvm(mode);
    }

    Jvm options(String agentOptions) {
        this.agentOptions = agentOptions;
        return this;
    }

    /** Runs the program from {@code dir} instead of the test classes. */
    Jvm classpath(Path dir) {
        this.classpath = dir;
        return this;
    }

    /** Without bytecode verification of the JDK's own (woven) classes: for timing start-up as users see it. */
    Jvm withoutJdkVerification() {
        verifyJdk = false;
        return this;
    }

    Jvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    static Path coopJar() {
        Path p = Path.of(System.getProperty("coop.jar", "target/coop.jar"));
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no " + p.toAbsolutePath() + ": run the tests with mvn verify (after package)");
        return p;
    }

    static Path testClasses() {
        return Path.of(System.getProperty("coop.testClasses", "target/test-classes"));
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Runs {@code mainClass} with {@code args}; fails the test if it does not end within 60 s. */
    Run run(String mainClass, String... args) throws IOException, InterruptedException {
        return runWith(java(), mainClass, args);
    }

    Run runWith(String javaCommand, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand);
        cmd.add("-Xshare:auto");
        if (verifyJdk && mode != Mode.PLAIN && !javaCommand.contains("17")) {
            // verify the JDK classes coop wove too (the JVM trusts the boot loader's classes by default)
            cmd.add("-XX:+UnlockDiagnosticVMOptions");
            cmd.add("-XX:+BytecodeVerificationLocal");
        }
        cmd.addAll(jvmArgs);
        String cp = (classpath != null ? classpath : testClasses()).toString();
        switch (mode) {
            case AGENT -> cmd.add("-javaagent:" + coopJar() + (agentOptions == null ? "" : "=" + agentOptions));
            case PATCH_ALL -> {
                cp = cp + java.io.File.pathSeparator + coopJar();
                cmd.add("-Dapp.patchAll=true");
                cmd.add("-XX:+EnableDynamicAgentLoading");
            }
            case PLAIN -> { }
        }
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path out = Files.createTempFile("coop-it", ".out");
        Path err = Files.createTempFile("coop-it", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " did not end within 60 s; stdout: " + Files.readString(out) + " stderr: " + Files.readString(err));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Run r = new Run(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), ms);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** What a launched program did. */
    record Run(List<String> command, int exit, String out, String err, long wallMs) {
        /** The fields of the RESULT line (key=value); fails if there is none. */
        Map<String, String> result() {
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

        String field(String key) {
            String v = result().get(key);
            if (v == null) throw new AssertionError("no field " + key + " in the RESULT line; " + this);
            return v;
        }

        long number(String key) {
            return Long.parseLong(field(key));
        }

        @Override
        public String toString() {
            return "exit " + exit + " of " + String.join(" ", command) + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
