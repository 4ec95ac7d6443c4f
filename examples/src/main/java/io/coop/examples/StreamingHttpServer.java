package io.coop.examples;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Tutorial: "Streaming servers": no Content-Length; the body goes out in chunks as it is
 * produced ({@code Transfer-Encoding: chunked}). With the JDK's {@code HttpHandler} that is a
 * response length of 0, and {@code flush()} pushes what was written so far as one chunk. Try
 * {@code curl -i --raw http://127.0.0.1:8000/}; the first argument changes the port (0: any).
 */
public final class StreamingHttpServer {

    static void application(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, 0);                   // 0: length unknown, stream it
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("<p>Hello".getBytes(StandardCharsets.UTF_8));
            out.flush();                                        // yield "<p>Hello"
            out.write("World</p>".getBytes(StandardCharsets.UTF_8));
            out.flush();                                        // yield "World</p>"
        }                                                       // the closing 0-length chunk
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        Coop.run(() -> {
            HttpServer server = new HttpServer(new InetSocketAddress(port), StreamingHttpServer::application);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
