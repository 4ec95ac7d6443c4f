package io.coop.http;

import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.Schedule;
import io.coop.testing.OsThread;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A coop HttpServer serving on a hub thread of its own, for tests whose clients are plain threads. */
final class RunningServer implements AutoCloseable {
    final HttpServer server;
    final InetSocketAddress address;
    private final Thread thread;
    /** The OS threads the hub ran on (from /proc/thread-self, recorded by the handlers that call {@link #mark}). */
    static final Set<String> HANDLER_THREADS = ConcurrentHashMap.newKeySet();

    private RunningServer(HttpServer server, Thread thread) {
        this.server = server;
        this.address = server.address();
        this.thread = thread;
    }

    static void mark() {
        HANDLER_THREADS.add(OsThread.id());
    }

    static RunningServer start(HttpHandler handler) {
        return start(handler, s -> { });
    }

    static RunningServer start(HttpHandler handler, Consumer<HttpServer> configure) {
        return start(handler, configure, Schedule.fifo());
    }

    /** A server on a hub run by {@code schedule} (a seeded one counts turn points, not time: see Hub.yieldIfHeld). */
    static RunningServer start(HttpHandler handler, Consumer<HttpServer> configure, Schedule schedule) {
        HANDLER_THREADS.clear();
        CompletableFuture<HttpServer> up = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Coop.run(schedule, () -> {
                    HttpServer s = new HttpServer(new InetSocketAddress("127.0.0.1", 0), handler);
                    configure.accept(s);
                    s.start();
                    up.complete(s);
                    s.serveForever();
                    return null;
                });
            } catch (Throwable e) {
                up.completeExceptionally(e);
            }
        }, "test-http-hub");
        t.start();
        return new RunningServer(up.join(), t);
    }

    @Override
    public void close() {
        if (!thread.isAlive()) return;
        server.hub().post(() -> Coop.spawn(() -> server.stop(Duration.ofMillis(200))));
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
