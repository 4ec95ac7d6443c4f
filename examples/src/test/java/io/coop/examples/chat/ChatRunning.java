package io.coop.examples.chat;

import io.coop.Coop;
import io.coop.http.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The chat server on a hub thread of its own, for tests whose clients are other threads or processes. */
final class ChatRunning implements AutoCloseable {
    final HttpServer server;
    final String base;
    private final Thread thread;

    ChatRunning(Duration pollTimeout) {
        CompletableFuture<HttpServer> up = new CompletableFuture<>();
        thread = new Thread(() -> {
            try {
                Coop.run(() -> {
                    HttpServer s = new ChatServer(pollTimeout).server(new InetSocketAddress("127.0.0.1", 0));
                    s.start();
                    up.complete(s);
                    s.serveForever();
                    return null;
                });
            } catch (Throwable t) {
                up.completeExceptionally(t);
            }
        }, "chat-hub");
        thread.start();
        server = up.join();
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @Override
    public void close() {
        server.hub().post(() -> Coop.spawn(() -> server.stop(Duration.ofMillis(100))));
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
