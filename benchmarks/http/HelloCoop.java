import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Hello world on coop's HttpServer: every connection a greenlet, all on this one thread. */
public class HelloCoop {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        byte[] body = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);
        HttpHandler hello = x -> {
            x.getResponseHeaders().set("Content-Type", "text/plain");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        };
        Coop.run(() -> {
            HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", port), hello);
            server.start();
            System.out.println("coop HttpServer on " + server.address());
            server.serveForever();
            return null;
        });
    }
}
