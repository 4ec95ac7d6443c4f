import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Hello world on coop's HttpServer: every connection a greenlet, all on this one thread; with a
 * second argument {@code n}, on {@code n} hubs ({@code HttpServer.hubs(n)}: this thread's and
 * {@code n - 1} more, each with its own listening socket; the scaling comparison).
 */
public class HelloCoop {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int hubs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        byte[] body = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);
        HttpHandler hello = x -> {
            x.getResponseHeaders().set("Content-Type", "text/plain");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        };
        Coop.run(() -> {
            HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", port), hello).hubs(hubs);
            server.start();
            System.out.println("coop HttpServer on " + server.address());
            server.serveForever();
            return null;
        });
    }
}
