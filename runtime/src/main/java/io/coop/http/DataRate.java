package io.coop.http;

/**
 * The minimum data rate of one direction of a connection, per request (Jetty's MinDataRate,
 * Apache's mod_reqtimeout MinRate): from the first time the server has to wait on the client,
 * the total time it waits may be at most {@code grace + bytes / rate}, where {@code bytes} is what
 * the client sent (or took) since then. A client that keeps up is never waited on and never
 * measured; a client that trickles runs out of credit a little after the grace period.
 */
final class DataRate implements io.coop.net.ChannelIo.Pace {
    private final long bytesPerSecond;
    private final long graceNanos;
    private long waitedNanos;
    private long bytes;
    private boolean measuring;

    DataRate(long bytesPerSecond, long graceNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = graceNanos;
    }

    boolean enabled() {
        return bytesPerSecond > 0;
    }

    /** Starts over: called at each new request. */
    void reset() {
        waitedNanos = 0;
        bytes = 0;
        measuring = false;
    }

    /** The latest moment a wait that starts {@code now} may end; Long.MAX_VALUE when disabled. */
    @Override
    public long deadline(long now) {
        if (bytesPerSecond <= 0) return Long.MAX_VALUE;
        long credit = bytes >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE / 4 : bytes * 1_000_000_000L / bytesPerSecond;
        long left = Math.max(0, graceNanos + credit - waitedNanos);
        return left >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + left;
    }

    /** The server waited {@code nanos} on the client. */
    @Override
    public void waited(long nanos) {
        waitedNanos += nanos;
        measuring = true;
    }

    /** The client sent or took {@code n} bytes (counted once the server has waited on it). */
    @Override
    public void transferred(long n) {
        if (measuring) bytes += n;
    }

    String describe() {
        return bytesPerSecond + " bytes/s after " + graceNanos / 1_000_000 + " ms";
    }
}
