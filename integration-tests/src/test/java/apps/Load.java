package apps;

import io.coop.testsupport.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The HTTP load the server programs share (plain {@code HttpURLConnection} clients, nothing of
 * coop): a burst of N requests sent by N threads at the same moment, and a throughput round of
 * keep-alive requests.
 *
 * <pre>{@code
 * Load.Burst b = Load.burst(100, i -> URI.create(base + "/slow?i=" + i), 200, failures);
 * Load.Burst s = Load.burstOf(100, i -> mySessionRequest(i), 200, failures); // {status, body} of its own
 * Probe.result("requestsMs=" + b.ms() + " responses=" + b.digest() + ...);
 * }</pre>
 */
public final class Load {
    private Load() {
    }

    /**
     * What a burst saw: its duration from the moment all threads were released, how many
     * answers were 200, how many requests took longer than a second and the longest one, the
     * process's OS threads counted halfway through, and a digest of every (i, status, body) that
     * a run with or without the agent must share; also how many connections the kernel's listen
     * queues turned away meanwhile (TcpExt ListenOverflows of /proc/net/netstat: the whole network
     * namespace, so other programs' too; a turned-away connect is retried after a second).
     */
    public record Burst(long ms, int ok, int overOneSecond, long maxMs, int processOsThreads, long listenOverflows, String digest) {
        public String fields() {
            return "requestsMs=" + ms + " ok=" + ok + " overOneSecond=" + overOneSecond + " slowestMs=" + maxMs
                    + " processOsThreads=" + processOsThreads + " listenOverflows=" + listenOverflows + " responses=" + digest;
        }
    }

    /**
     * Sends {@code n} GETs from {@code n} threads released together (after each has prepared its
     * request); a further thread counts the process's OS threads {@code sampleAfterMs} later,
     * while the requests are in the server.
     */
    public static Burst burst(int n, IntFunction<URI> uri, long sampleAfterMs, Threads.Failures failures) throws InterruptedException {
        return burstOf(n, i -> get(uri.apply(i)), sampleAfterMs, failures);
    }

    /** One request of a burst: sends request {@code i} and returns {status, body}; may check the answer and throw. */
    public interface Call {
        String[] send(int i) throws Exception;
    }

    /**
     * The same burst with the program's own request: {@code call} sends request {@code i} and
     * returns {status, body}, the body as the digest should see it (without what differs from run
     * to run, such as a session id).
     */
    public static Burst burstOf(int n, Call call, long sampleAfterMs, Threads.Failures failures) throws InterruptedException {
        String[] answers = new String[n];
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        AtomicLong max = new AtomicLong();
        AtomicInteger sampled = new AtomicInteger();
        long[] gate = new long[1];
        long overflows = listenOverflows();
        CyclicBarrier start = new CyclicBarrier(n + 1, () -> gate[0] = System.nanoTime());
        Threads.runAll(n + 1, "burst-client", i -> {
            Probe.mark();
            if (i == n) {
                start.await(60, TimeUnit.SECONDS);
                Thread.sleep(sampleAfterMs);
                sampled.set(processOsThreads());
                return;
            }
            start.await(60, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            String[] got = call.send(i);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Probe.mark();
            if (ms > 1000) slow.incrementAndGet();
            max.accumulateAndGet(ms, Math::max);
            answers[i] = i + " " + got[0] + " " + got[1];
            if (got[0].equals("200")) ok.incrementAndGet();
        }, failures);
        long ms = (System.nanoTime() - gate[0]) / 1_000_000;
        return new Burst(ms, ok.get(), slow.get(), max.get(), sampled.get(), listenOverflows() - overflows, digest(answers));
    }

    /**
     * {@code threads} threads each send {@code perThread} GETs one after the other (keep-alive
     * connections, as {@code HttpURLConnection} pools them); returns requests per second, or -1
     * if an answer was not 200 or not {@code expected.apply(i)}.
     */
    public static long throughput(int threads, int perThread, IntFunction<URI> uri, IntFunction<String> expected, Threads.Failures failures)
            throws InterruptedException {
        AtomicInteger wrong = new AtomicInteger();
        long t0 = System.nanoTime();
        Threads.runAll(threads, "load-client", t -> {
            Probe.mark();
            for (int k = 0; k < perThread; k++) {
                int i = t * perThread + k;
                String[] got = get(uri.apply(i));
                if (!got[0].equals("200") || !got[1].equals(expected.apply(i))) {
                    if (wrong.getAndIncrement() == 0) System.out.println("WRONG answer to request " + i + ": " + got[0] + " " + got[1]);
                }
            }
            Probe.mark();
        }, failures);
        long ns = System.nanoTime() - t0;
        return wrong.get() > 0 ? -1 : (long) threads * perThread * 1_000_000_000L / ns;
    }

    /** Stops a server (what the server's API calls it). */
    public interface Stop {
        void stop() throws Exception;
    }

    /**
     * The standard run of an HTTP server program, once it has started (in {@code startMs}): a
     * burst of {@code n} GET /slow (the server waits {@code sleepMs} in each), a throughput round
     * of GET /fast (answered "fast i"), the server's own OS threads (named {@code threadPrefix}),
     * then {@code stop}; prints the RESULT line.
     */
    public static void measureServer(String base, int n, long sleepMs, long startMs, String threadPrefix, Stop stop) throws Exception {
        Threads.Failures failures = new Threads.Failures();
        Burst burst = burst(n, i -> URI.create(base + "/slow?i=" + i), sleepMs / 2, failures);
        long rps = throughput(10, 200, i -> URI.create(base + "/fast?i=" + i), i -> "fast " + i, failures);
        String serverThreads = Threads.describePlatformThreads(threadPrefix);
        long t1 = System.nanoTime();
        stop.stop();
        long stopMs = (System.nanoTime() - t1) / 1_000_000;
        Probe.result(burst.fields() + " startMs=" + startMs + " requestsPerSecond=" + rps + " stopMs=" + stopMs
                + " serverOsThreads=" + serverThreads + " failures=" + failures.count());
    }

    /** Events per second: {@code count} events in {@code nanos} ns (the figure programs without an HTTP throughput round report). */
    public static long perSecond(long count, long nanos) {
        return nanos <= 0 ? -1 : count * 1_000_000_000L / nanos;
    }

    /** GET: {status, body}. */
    public static String[] get(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(30_000);
        c.setReadTimeout(30_000);
        int status = c.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new String[] {String.valueOf(status), body};
    }

    /** How many OS threads the process has now (entries of /proc/self/task). */
    public static int processOsThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** TcpExt ListenOverflows from /proc/net/netstat (0 if it cannot be read). */
    public static long listenOverflows() {
        try {
            String[] header = null;
            for (String line : Files.readAllLines(Path.of("/proc/net/netstat"))) {
                if (!line.startsWith("TcpExt:")) continue;
                if (header == null) {
                    header = line.split(" ");
                    continue;
                }
                String[] values = line.split(" ");
                for (int k = 0; k < header.length; k++) {
                    if (header[k].equals("ListenOverflows")) return Long.parseLong(values[k]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or another layout
        }
        return 0;
    }

    /** The first 16 hex digits of the SHA-256 of the lines, in order (a missing answer counts as "null"). */
    public static String digest(String[] lines) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String line : lines) md.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
