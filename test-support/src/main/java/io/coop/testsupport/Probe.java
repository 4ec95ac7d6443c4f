package io.coop.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test programs share: which OS threads ran application code (read from
 * /proc/thread-self, so virtual threads report their carrier), a stopwatch, and the one result
 * line the tests parse. The programs themselves know nothing of coop.
 *
 * <pre>{@code
 * Probe.start();                 // Monkey.patchAll() first when -Dapp.patchAll=true
 * Probe.mark();                  // in every thread
 * Probe.result("count=200");     // RESULT elapsedMs=... osThreads=... count=200
 * }</pre>
 */
public final class Probe {
    private static final Set<String> OS_THREADS = ConcurrentHashMap.newKeySet();
    private static long t0;

    private Probe() {
    }

    /** Starts the stopwatch; with -Dapp.patchAll=true calls Monkey.patchAll() first (by reflection). */
    public static void start() throws Exception {
        if (Boolean.getBoolean("app.patchAll")) {
            Class.forName("io.coop.monkey.Monkey").getMethod("patchAll").invoke(null);
        }
        mark();
        t0 = System.nanoTime();
    }

    /** Records the OS thread running the caller. */
    public static void mark() {
        OS_THREADS.add(threadSelf());
    }

    /** The OS thread running the caller, as /proc/thread-self names it ("PID/task/TID"). */
    public static String threadSelf() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many distinct OS threads {@link #mark()} has seen so far. */
    public static int osThreads() {
        return OS_THREADS.size();
    }

    public static long elapsedMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Prints the result line: elapsed time, OS threads seen, and the program's own fields. */
    public static void result(String fields) {
        mark();
        System.out.println("RESULT elapsedMs=" + elapsedMs() + " osThreads=" + OS_THREADS.size() + " " + fields);
    }

    /** Sleeps without checked exceptions. */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
