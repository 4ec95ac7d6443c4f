package io.coop.examples;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import io.coop.queue.Empty;
import io.coop.queue.Queue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Tutorial: "Long polling": a producer greenlet puts a message in a queue every second; the
 * endpoint streams each one to the client as a JSON line as soon as it arrives, waiting on the
 * queue in between. (The chat room built on the same idea is {@code io.coop.examples.chat}.)
 * Try {@code curl -N http://127.0.0.1:8000/}; the first argument changes the port (0: any).
 */
public final class LongPolling {

    static Queue<String> dataSource;

    static void producer() {
        while (true) {
            dataSource.putNowait("Hello World");
            Coop.sleep(Duration.ofSeconds(1));
        }
    }

    static void ajaxEndpoint(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                try {
                    String datum = dataSource.get(Duration.ofSeconds(5));
                    out.write(('"' + datum + "\"\n").getBytes(StandardCharsets.UTF_8));   // json.dumps(datum)
                    out.flush();
                } catch (Empty e) {
                    // nothing for 5 s: keep waiting
                }
            }
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        Coop.run(() -> {
            dataSource = new Queue<>();
            Coop.spawn(LongPolling::producer);
            HttpServer server = new HttpServer(new InetSocketAddress(port), LongPolling::ajaxEndpoint);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
