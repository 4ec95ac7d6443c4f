package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import io.coop.Coop;
import io.coop.testing.OsThread;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Unmodified code written against the JDK's HttpServer API, served by coop through the provider. */
class CoopHttpServerProviderTest {
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    /** A handler as any JDK application would write it. */
    static final class Hello implements HttpHandler {
        @Override
        public void handle(HttpExchange x) throws java.io.IOException {
            THREADS.add(OsThread.id());
            String who = x.getHttpContext().getPath() + " " + x.getAttribute("seen-by-filter");
            byte[] b = ("hello from " + who).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            try (var out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }

    static String fetch(HttpClient client, InetSocketAddress at, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    static void configure(HttpServer server) {
        server.createContext("/", new Hello());
        HttpContext api = server.createContext("/api", new Hello());
        api.getFilters().add(Filter.beforeHandler("mark", x -> x.setAttribute("seen-by-filter", "yes")));
        server.setExecutor(Executors.newFixedThreadPool(4)); // accepted and ignored: greenlets run the exchanges
    }

    @Test
    void theSystemPropertySelectsCoopAndStartOnAPlainThreadServesOnAThreadOfItsOwn() throws Exception {
        System.setProperty("com.sun.net.httpserver.HttpServerProvider", CoopHttpServerProvider.class.getName());
        assertInstanceOf(CoopHttpServerProvider.class, HttpServerProvider.provider());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        assertTrue(server.getAddress().getPort() > 0, "bound at create, as the JDK's");
        int port = server.getAddress().getPort();
        configure(server);
        server.start();
        THREADS.clear();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertEquals("200 hello from / null", fetch(client, server.getAddress(), "/"));
            assertEquals("200 hello from /api yes", fetch(client, server.getAddress(), "/api/v1"));
            server.removeContext("/api");
            assertEquals("200 hello from / null", fetch(client, server.getAddress(), "/api/v1"));
        } finally {
            server.stop(0);
        }
        assertEquals(1, THREADS.size(), THREADS.toString());
        assertThrows(java.io.IOException.class, () -> new java.net.Socket("127.0.0.1", port).close(),
                "stopped: no longer listening");
    }

    @Test
    void startInsideAGreenletServesOnThatHub() {
        String hubThread = Coop.run(() -> {
            HttpServer server = new CoopHttpServerProvider().createHttpServer(new InetSocketAddress("127.0.0.1", 0), 0);
            configure(server);
            server.start();
            THREADS.clear();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // the client's future is waited on in this greenlet: the hub keeps serving meanwhile
            String r = fetch(client, server.getAddress(), "/x");
            assertEquals("200 hello from / null", r);
            server.stop(0);
            return OsThread.id();
        });
        assertEquals(Set.of(hubThread), THREADS, "the handler ran on the hub thread of the Coop.run body");
    }
}
