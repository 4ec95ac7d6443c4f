package io.coop.net;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM started from a test through bash, so that its file-descriptor limit can be set with ulimit. */
final class Forked implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final Writer in;
    final Path log;

    private Forked(Process p, Path log) {
        this.process = p;
        this.out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        this.log = log;
    }

    /** The soft and hard limits on open files of this JVM, from /proc/self/limits. */
    static long[] fdLimits() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (l.startsWith("Max open files")) {
                String[] f = l.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {parse(f[0]), parse(f[1])};
            }
        }
        return new long[] {-1, -1};
    }

    private static long parse(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /** Starts {@code main} with {@code args} in a JVM whose fd limit is {@code ulimit -n fds}. */
    static Forked start(long fds, String heap, Class<?> main, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-Xshare:auto",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        StringBuilder line = new StringBuilder("ulimit -n " + fds + " && exec");
        for (String c : cmd) line.append(" '").append(c.replace("'", "'\\''")).append("'");
        Path log = Files.createTempFile("coop-forked-", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line.toString());
        pb.redirectError(log.toFile());
        return new Forked(pb.start(), log);
    }

    String readLine() throws Exception {
        String l = out.readLine();
        if (l == null) throw new AssertionError("the forked JVM ended early; its stderr:\n" + Files.readString(log));
        return l;
    }

    void send(String line) throws Exception {
        in.write(line + "\n");
        in.flush();
    }

    String stderr() throws Exception {
        return Files.readString(log);
    }

    int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the forked JVM did not end within " + seconds + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
        new File(log.toString()).delete();
    }
}
