package io.coop.examples;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Tutorial: "WSGI servers": the smallest web application, a buffered response with a known
 * length. coop's {@link HttpServer} runs the JDK's own {@code HttpHandler} interface. Try
 * {@code curl -i http://127.0.0.1:8000/}; the first argument changes the port (0: any).
 */
public final class HttpHelloServer {

    static void application(HttpExchange exchange) throws IOException {
        byte[] body = "<p>Hello World</p>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        Coop.run(() -> {
            HttpServer server = new HttpServer(new InetSocketAddress(port), HttpHelloServer::application);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
