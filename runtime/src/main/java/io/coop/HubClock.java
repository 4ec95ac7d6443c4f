package io.coop;

/**
 * A hub's "now", on the {@link System#nanoTime()} scale: the real clock, or a virtual one
 * (see {@link Schedule#virtualTime()}). A virtual clock starts at the real time the hub made it
 * and then moves only two ways: it jumps to the next timer when the hub is idle and nothing in
 * the JVM is on its way, and it moves by the real time the hub spent asleep when it had to wait
 * for something outside (another thread's work, a peer out of the JVM). A program that sleeps
 * an hour in all therefore finishes at once, and sees the hour pass. Hub thread only.
 */
final class HubClock {
    private final boolean virtual;
    private long now;
    private long asleepSince;
    /** The real clock's readings when this one was made: the two start equal. */
    private final long startNanos, startMillis;

    HubClock(boolean virtual) {
        this.virtual = virtual;
        this.now = this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    boolean isVirtual() {
        return virtual;
    }

    long read() {
        return virtual ? now : System.nanoTime();
    }

    /** Wall-clock time in milliseconds since the epoch: on a virtual clock, where the jumps have taken it. */
    long currentTimeMillis() {
        return virtual ? startMillis + Math.floorDiv(now - startNanos, 1_000_000L) : System.currentTimeMillis();
    }

    /** Wall-clock time in nanoseconds since the epoch: on a virtual clock, where the jumps have taken it. */
    long epochNanos() {
        return virtual ? startMillis * 1_000_000L + (now - startNanos) : System.currentTimeMillis() * 1_000_000L;
    }

    /** Moves a virtual clock forward to {@code time} (never back). */
    void jumpTo(long time) {
        if (time - now > 0) now = time;
    }

    /** The hub is about to sleep for real. */
    void sleeping() {
        if (virtual) asleepSince = System.nanoTime();
    }

    /** The hub woke: a virtual clock moves by the time it slept. */
    void slept() {
        if (virtual) now += System.nanoTime() - asleepSince;
    }
}
