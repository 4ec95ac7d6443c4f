package io.coop.http;

import java.time.Duration;

/** The HTTP server's limits and timeouts (see {@link HttpServer} for what each does). */
final class Limits {
    int maxRequestLine = 8192;
    int maxHeaderBytes = 32 * 1024;
    int maxHeaderCount = 100;
    long maxBodyBytes = 16L * 1024 * 1024;
    int maxChunkLine = 1024;
    int maxDrainBytes = 64 * 1024;
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration readTimeout = Duration.ofSeconds(30);
    Duration writeTimeout = Duration.ofSeconds(60);
    Duration requestTimeout = Duration.ofMinutes(5);
    int minDataRate = 1024;
    Duration minDataRateGrace = Duration.ofSeconds(10);
    int maxConnections;
    int bufferSize = 8192;

    static long nanos(Duration d) {
        return d == null || d.isZero() ? 0 : d.toNanos();
    }
}
