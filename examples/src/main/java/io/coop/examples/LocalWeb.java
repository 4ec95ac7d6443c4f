package io.coop.examples;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A stand-in for the web sites the seed's crawlers fetch, so that the examples run without a
 * network: a coop {@link HttpServer} on a free loopback port, in the calling hub. Every page
 * answers after a delay, as a remote site would, so that fetching them one after the other
 * takes the sum of the delays, and concurrently about the longest one.
 *
 * <ul>
 * <li>{@code GET /<site>/}: an HTML page of a fixed size per site;</li>
 * <li>{@code POST /j/search_tags}: a small JSON document;</li>
 * <li>{@code GET /portal.php}: a page with image links; {@code GET /forum.php?mod=image&aid=N}:
 *     an image of {@code N} KiB;</li>
 * <li>{@code GET /time.json}: {@code {"datetime": "..."}}, the time now, after 20 to 120 ms
 *     (a server whose load varies).</li>
 * </ul>
 */
public final class LocalWeb implements AutoCloseable {

    /** Page sizes in bytes and answer delays in ms, per site. */
    static final Map<String, int[]> SITES = Map.of(
            "www.python.org", new int[] {50_463, 300},
            "www.yahoo.com", new int[] {93_710, 200},
            "github.com", new int[] {60_211, 250},
            "www.baidu.com", new int[] {2_381, 100},
            "www.cnblogs.com", new int[] {71_920, 150});

    private final HttpServer server;

    private LocalWeb(HttpServer server) {
        this.server = server;
    }

    /** Starts the site on a free port of 127.0.0.1, in the calling thread's hub. */
    public static LocalWeb start() {
        HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), LocalWeb::handle);
        server.start();
        return new LocalWeb(server);
    }

    /** {@code http://127.0.0.1:PORT} */
    public String base() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    /** The address of {@code site}'s home page here, e.g. {@code http://127.0.0.1:PORT/www.python.org/}. */
    public String url(String site) {
        return base() + "/" + site + "/";
    }

    @Override
    public void close() {
        server.stop(Duration.ZERO);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        if (path.equals("/time.json")) {
            Coop.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(20, 121));
            // an explicit pattern: OffsetDateTime.toString() leaves the seconds out on a whole minute
            String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                    .format(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
            send(exchange, 200, "application/json", ("{\"datetime\": \"" + now + "\"}").getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/j/search_tags") && exchange.getRequestMethod().equals("POST")) {
            exchange.getRequestBody().readAllBytes();
            Coop.sleep(100);
            send(exchange, 200, "application/json", "{\"tags\":[\"hot\",\"latest\",\"classic\",\"playable\",\"top rated\"]}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/portal.php")) {
            StringBuilder page = new StringBuilder("<html><body><div id=\"frameXWswSe\"><div class=\"portal_block_summary\"><ul>");
            for (int aid = 1; aid <= 4; aid++) page.append("<li><img src=\"forum.php?mod=image&aid=").append(aid).append("&size=218x285\"></li>");
            page.append("</ul></div></div></body></html>");
            send(exchange, 200, "text/html", page.toString().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/forum.php") && query != null && query.contains("mod=image")) {
            int aid = Integer.parseInt(query.replaceAll(".*aid=(\\d+).*", "$1"));
            Coop.sleep(100 + 50L * aid);
            send(exchange, 200, "image/jpeg", new byte[aid * 1024]);
        } else {
            int[] site = SITES.get(path.replace("/", ""));
            if (site == null) {
                send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Coop.sleep(site[1]);
            send(exchange, 200, "text/html", page(site[0]));
        }
    }

    private static byte[] page(int size) {
        byte[] b = new byte[size];
        byte[] head = "<!doctype html><html><body>".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(b, (byte) 'x');
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
