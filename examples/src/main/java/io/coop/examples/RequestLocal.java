package io.coop.examples;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Tutorial: "Thread locals", the web framework pattern: the current request kept in a
 * greenlet-local ({@link ThreadLocal}) for the duration of the handler, and a proxy that reads
 * it, so application code can say {@code request.get()} without passing the request around.
 * Each request runs in its own greenlet, so concurrent requests never see each other's. Try
 * {@code curl http://127.0.0.1:8000/}; the first argument changes the port (0: any).
 */
public final class RequestLocal {

    static final ThreadLocal<HttpExchange> requests = new ThreadLocal<>();
    static final Supplier<HttpExchange> request = requests::get;   // werkzeug's LocalProxy

    /** The context manager: the request is set for the block, cleared after it. */
    static String sessionManager(HttpExchange exchange, Supplier<String> body) {
        requests.set(exchange);
        try {
            return body.get();
        } finally {
            requests.remove();
        }
    }

    static String logic() {
        return "Hello " + request.get().getRemoteAddress().getAddress().getHostAddress();
    }

    static void application(HttpExchange exchange) throws IOException {
        String body = sessionManager(exchange, RequestLocal::logic);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        Coop.run(() -> {
            HttpServer server = new HttpServer(new InetSocketAddress(port), RequestLocal::application);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
