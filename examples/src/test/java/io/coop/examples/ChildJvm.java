package io.coop.examples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An example run in a JVM of its own (for signals, and for the agent): the same java, the test
 * class path, coop's one flag; stdout is collected line by line as it comes.
 */
final class ChildJvm implements AutoCloseable {
    final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer err = new StringBuffer();
    private final Thread outReader, errReader;

    private ChildJvm(Process process) {
        this.process = process;
        outReader = Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
        errReader = Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    }

    /** Starts {@code mainClass} on the test class path, with {@code jvmFlags} before the class name and {@code args} after it. */
    static ChildJvm start(List<String> jvmFlags, String mainClass, String... args) throws IOException {
        return startWith(System.getProperty("java.class.path"), jvmFlags, mainClass, args);
    }

    /** As {@link #start}, on {@code classpath}. */
    static ChildJvm startWith(String classpath, List<String> jvmFlags, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(jvmFlags);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).start());
    }

    private void pump(BufferedReader r, boolean stdout) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                if (stdout) out.add(line);
                else err.append(line).append('\n');
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Waits until a line starting with {@code prefix} was printed; false if {@code millis} passed first. */
    boolean awaitLine(String prefix, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            synchronized (out) {
                for (String l : out) if (l.startsWith(prefix)) return true;
            }
            if (!process.isAlive() && !outReader.isAlive()) return false;
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits for the exit (fails after {@code seconds}) and for the output to be read; returns the exit code. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not end within " + seconds + " s; stdout:\n" + String.join("\n", stdout()) + "\nstderr:\n" + err);
        }
        outReader.join(5000);
        errReader.join(5000);
        return process.exitValue();
    }

    List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    String stderr() {
        return err.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
