package io.coop.process;

import io.coop.Config;
import io.coop.Coop;
import io.coop.Hub;
import io.coop.Timeout;
import io.coop.WaitQueue;
import io.coop.threadpool.ThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A child process that greenlets wait for cooperatively (gevent's {@code subprocess.Popen}):
 * starting it, feeding its standard input, collecting its output and waiting for its exit all
 * leave the hub free to run the other greenlets.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     Greenlet<?> cron = Coop.spawn(() -> { while (true) { System.out.println("cron"); Coop.sleep(200); } });
 *     Subprocess sub = Subprocess.start("sh", "-c", "sleep 1; uname");
 *     Subprocess.Result r = sub.communicate();          // cron keeps printing meanwhile
 *     cron.kill();
 *     System.out.println(r.stdoutText().strip() + ", exit " + r.exitCode());   // Linux, exit 0
 *
 *     Subprocess.Result wc = Subprocess.start("wc", "-c")
 *             .communicate("hello".getBytes(), Duration.ofSeconds(5));        // stdout "5"
 *     return null;
 * });
 * }</pre>
 *
 * <p><b>How it avoids blocking the hub, and which threads it uses.</b> The JDK's process pipes
 * are plain {@link InputStream}s and {@link OutputStream}s over the pipe descriptors, not
 * selectable channels: the hub's selector cannot watch them without reaching into
 * {@code sun.nio.ch} internals (another {@code --add-opens}) and competing with the JDK's own
 * handling of those streams (it drains and closes them when the process exits). So coop does
 * not try: the blocking pipe work runs on threads of a {@link ThreadPool} named
 * {@code coop-process-N} (up to {@code coop.process.threads}, default 128; idle ones exit after
 * 10 s), and the bytes come back to the hub through its inbox when a stream ends. Per process:
 * one thread while {@link ProcessBuilder#start()} runs, then, during {@link #communicate}, one
 * thread for each of stdout and stderr until they end and one for stdin while the input is
 * written. Waiting for the exit costs no pool thread: {@link Process#onExit()} is completed by
 * the JDK's own process reaper thread, which posts the exit to the hub. While a greenlet waits
 * on a process the hub is kept alive ({@link Hub#keepAlive()}): a running child can still
 * wake it, so that wait never ends in {@link io.coop.LoopExit}.
 *
 * <p>Exit codes are the JDK's ({@link Process#exitValue()}): a child killed by a signal exits
 * with 128 + the signal number (137 after {@link #kill()}). A {@code Subprocess} belongs to the
 * hub of the thread that started it; {@link #kill()}, {@link #terminate()}, {@link #isAlive()}
 * and {@link #pid()} may be called from anywhere, the waiting methods only by that hub's
 * greenlets.
 */
public final class Subprocess implements AutoCloseable {
    private static final Object POOL_LOCK = new Object();
    private static volatile ThreadPool pipes;

    private final Process process;
    private final Hub hub;
    private final List<String> command;

    // ---- hub-thread state
    private final WaitQueue<Void> changes = new WaitQueue<>();
    private Integer exitCode;
    private int waiting;
    private Hub.KeepAlive waitingAlive;
    private boolean communicating;
    private final Stream out = new Stream("stdout");
    private final Stream err = new Stream("stderr");

    private Subprocess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.hub = Hub.current();
        // the JDK's reaper thread completes onExit: hand the news to the hub
        process.onExit().whenComplete((p, e) -> hub.post(this::exited));
    }

    // ---------------------------------------------------------------- starting

    /** Starts {@code command} (program and arguments) with the JDK's defaults: pipes for stdin, stdout and stderr. */
    public static Subprocess start(String... command) {
        Objects.requireNonNull(command, "command");
        return start(new ProcessBuilder(command));
    }

    /** Starts {@code command} (program and arguments), as {@link #start(String...)}. */
    public static Subprocess start(List<String> command) {
        Objects.requireNonNull(command, "command");
        return start(new ProcessBuilder(command));
    }

    /**
     * Starts the process {@code builder} describes (working directory, environment, redirects
     * as set there). {@link ProcessBuilder#start()} itself runs on a pool thread (it forks and
     * execs, which takes milliseconds): the calling greenlet waits, the hub does not.
     *
     * @throws UncheckedIOException wrapping the JDK's {@link IOException} (same message) when
     *         the process cannot be started, e.g. the program does not exist
     */
    public static Subprocess start(ProcessBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        List<String> command = List.copyOf(builder.command());
        if (command.isEmpty()) throw new IllegalArgumentException("the command is empty: give at least the program to run");
        Process p;
        try {
            p = pipes().call(builder::start);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (Exception e) {
            throw Coop.unchecked(e);
        }
        return new Subprocess(p, command);
    }

    /**
     * Starts {@code command}, waits for it with {@link #communicate(byte[], Duration)} and
     * returns the result (Python's {@code subprocess.run}). If {@code timeout} passes first the
     * process is killed, its exit awaited, and the {@link Timeout} is thrown.
     */
    public static Result run(Duration timeout, String... command) {
        return run(new ProcessBuilder(Objects.requireNonNull(command, "command")), null, timeout);
    }

    /** As {@link #run(Duration, String...)} for a prepared {@code builder}, feeding it {@code input} (may be null). */
    public static Result run(ProcessBuilder builder, byte[] input, Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout"); // reject a bad timeout before starting anything
        Subprocess p = start(builder);
        try {
            return p.communicate(input, timeout, deadline);
        } catch (Timeout t) {
            p.kill();
            p.waitFor();
            throw t;
        } finally {
            if (p.process.isAlive()) p.kill(); // interrupted by a kill of our own greenlet
        }
    }

    /** The pool that does the blocking pipe work of every Subprocess. */
    static ThreadPool pipes() {
        ThreadPool p = pipes;
        if (p != null) return p;
        synchronized (POOL_LOCK) {
            if (pipes == null) pipes = new ThreadPool(poolThreads(), "coop-process", ThreadPool.DEFAULT_IDLE_TIMEOUT);
            return pipes;
        }
    }

    private static int poolThreads() {
        return Config.integer("process.threads", 128, 2);
    }

    // ---------------------------------------------------------------- talking to it

    /** {@link #communicate(byte[], Duration)} with no input and no time limit. */
    public Result communicate() {
        return communicate(null, null);
    }

    /**
     * Writes {@code input} (null or empty: nothing) to the process's standard input and closes
     * it, reads its standard output and error to their ends, waits for it to exit, and returns
     * the exit code with everything it printed. The calling greenlet waits; the hub runs the
     * others.
     *
     * <p>If {@code timeout} (null: no limit) passes first, {@link Timeout} is thrown and the
     * process keeps running; nothing read so far is lost: call {@code communicate} again (with
     * no input), typically after {@link #kill()}, to collect it all. Output is held in memory.
     * As in Python, "to their ends" means until every process holding the pipes has closed them:
     * a grandchild that inherited stdout (say {@code sh -c "sleep 9 &"}) keeps it open after the
     * child itself has exited.
     *
     * @throws IllegalStateException if input is given to a second call (the first one already
     *         closed stdin)
     * @throws UncheckedIOException if reading the output failed
     */
    public Result communicate(byte[] input, Duration timeout) {
        return communicate(input, timeout, Coop.deadline(timeout, "timeout"));
    }

    private Result communicate(byte[] input, Duration timeout, long deadline) {
        hub.checkHubThread(this, "communicate");
        if (!communicating) {
            communicating = true;
            startIo(input);
        } else if (input != null && input.length > 0) {
            throw new IllegalStateException("communicate was already called on " + this
                    + ": its standard input is closed, so no more input can be sent");
        }
        while (!(out.done && err.done && exitCode != null)) {
            if (!await("communicate", deadline)) throw new Timeout(timeout);
        }
        if (out.failure != null) throw new UncheckedIOException("reading the stdout of " + this + " failed", out.failure);
        if (err.failure != null) throw new UncheckedIOException("reading the stderr of " + this + " failed", err.failure);
        return new Result(exitCode, out.bytes, err.bytes);
    }

    private void startIo(byte[] input) {
        ThreadPool pool = pipes();
        OutputStream stdin = process.getOutputStream();
        if (input == null || input.length == 0) {
            closeQuietly(stdin); // as Python does: a child reading stdin sees its end at once
        } else {
            byte[] copy = input.clone();
            pool.dispatch(() -> {
                try (stdin) {
                    stdin.write(copy);
                } catch (IOException e) {
                    // the child exited or closed its stdin without reading it all: not an error (EPIPE)
                }
                return null;
            }, (v, t) -> { });
        }
        read(pool, out, process.getInputStream());
        read(pool, err, process.getErrorStream());
    }

    private void read(ThreadPool pool, Stream s, InputStream in) {
        pool.dispatch(in::readAllBytes, (bytes, t) -> {
            s.done = true;
            if (t == null) s.bytes = bytes;
            else s.failure = t instanceof IOException io ? io : new IOException(t);
            changes.wakeAll(null);
        });
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing was buffered: a failed close loses nothing
        }
    }

    /** One output stream being read: written only on the hub thread. */
    private static final class Stream {
        final String name;
        boolean done;
        byte[] bytes = new byte[0];
        IOException failure;

        Stream(String name) {
            this.name = name;
        }
    }

    // ---------------------------------------------------------------- waiting for the exit

    /** Waits for the process to exit and returns its exit code. */
    public int waitFor() {
        waitFor(null);
        return exitCode;
    }

    /**
     * Waits up to {@code timeout} (null: no limit) for the process to exit; true if it has.
     * The output is not read: a child that fills a pipe (about 64 KiB) blocks until someone
     * reads it, so use {@link #communicate} when it prints much.
     */
    public boolean waitFor(Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout");
        hub.checkHubThread(this, "waitFor");
        while (exitCode == null) {
            if (!await("waitFor", deadline)) return false;
        }
        return true;
    }

    /**
     * Waits cooperatively up to {@code timeout} (null: no limit) for any JDK {@link Process} to
     * exit; true if it has. The same mechanism as {@link #waitFor(Duration)} (the JDK's reaper
     * thread completes {@link Process#onExit()}, which wakes the greenlet through the hub), for
     * processes coop did not start: this is what a patched {@code Process.waitFor} can call.
     */
    @SuppressWarnings("try") // the keep-alive is only held for its scope
    public static boolean waitFor(Process process, Duration timeout) {
        Objects.requireNonNull(process, "process");
        long deadline = Coop.deadline(timeout, "timeout");
        if (!process.isAlive()) return true;
        Hub hub = Hub.current();
        io.coop.Waiter<Void> w = new io.coop.Waiter<>(new ExitOf(process));
        try (Hub.KeepAlive alive = hub.keepAlive()) {
            process.onExit().whenComplete((p, e) -> w.wake(null)); // from the reaper thread: posted to the hub
            return w.await(deadline) || !process.isAlive();
        }
    }

    private record ExitOf(Process process) {
        @Override
        public String toString() {
            return "the exit of process " + process.pid();
        }
    }

    /** Waits for a change (a stream ended, the process exited); false when the deadline passed. */
    private boolean await(String what, long deadline) {
        if (waiting++ == 0) waitingAlive = hub.keepAlive();
        try {
            return changes.await(new Wait(what, this), deadline) != null;
        } finally {
            if (--waiting == 0) {
                waitingAlive.close();
                waitingAlive = null;
            }
        }
    }

    /** What a greenlet waits for, as dumps and LoopExit show it (made only when shown). */
    private record Wait(String what, Subprocess p) {
        @Override
        public String toString() {
            return "Subprocess." + what + " of " + p;
        }
    }

    /** On the hub, once the JDK has seen the process exit. */
    private void exited() {
        exitCode = process.exitValue();
        changes.wakeAll(null);
    }

    // ---------------------------------------------------------------- state and control

    /** True while the process runs. Any thread. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit code of the process. Any thread.
     *
     * @throws IllegalStateException while it still runs
     */
    public int exitCode() {
        if (process.isAlive()) throw new IllegalStateException(this + " is still running: it has no exit code yet");
        return process.exitValue();
    }

    /** Kills the process (SIGKILL, {@link Process#destroyForcibly()}); returns at once. Any thread. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Asks the process to end (SIGTERM, {@link Process#destroy()}); returns at once. Any thread. */
    public void terminate() {
        process.destroy();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** The JDK's process, for what this class does not cover (its streams are read by {@link #communicate}). */
    public Process process() {
        return process;
    }

    /** The command it runs. */
    public List<String> command() {
        return command;
    }

    /** Kills the process if it still runs (for try-with-resources); does not wait. */
    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    @Override
    public String toString() {
        String state;
        if (process.isAlive()) state = "running";
        else state = "exited " + process.exitValue();
        return "Subprocess[pid " + process.pid() + ", " + String.join(" ", command) + ", " + state + "]";
    }

    // ---------------------------------------------------------------- the result

    /**
     * What {@link #communicate} collected: the exit code and the bytes the process wrote to
     * its standard output and standard error.
     */
    public record Result(int exitCode, byte[] stdout, byte[] stderr) {
        /** Checks that both outputs are there (empty arrays when the process wrote nothing). */
        public Result {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /** The standard output decoded as UTF-8. */
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The standard error decoded as UTF-8. */
        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** The standard output decoded with {@code charset}. */
        public String stdoutText(Charset charset) {
            return new String(stdout, charset);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && r.exitCode == exitCode && Arrays.equals(r.stdout, stdout)
                    && Arrays.equals(r.stderr, stderr);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * exitCode + Arrays.hashCode(stdout)) + Arrays.hashCode(stderr);
        }

        @Override
        public String toString() {
            return "Result[exit " + exitCode + ", stdout " + stdout.length + " bytes, stderr " + stderr.length + " bytes]";
        }
    }
}
