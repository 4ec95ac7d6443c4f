package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.coop.testsupport.Jvm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three HTTP clients (the JDK's HttpClient with synchronous send, HttpURLConnection, Apache
 * HttpClient 5 classic) in an unmodified program under {@code -javaagent:coop.jar}: 100
 * concurrent requests to a loopback server (here, in the test's JVM, on its own threads) whose
 * handler sleeps 200 ms.
 */
class HttpClientsIT {
    private static HttpServer server;
    private static ExecutorService handlers;

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(handlers);
        server.createContext("/item/", ex -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("item " + ex.getRequestURI().getPath().substring("/item/".length())).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("[coop-it] HttpClientsIT: the server is the JDK's HttpServer in the test JVM at " + server.getAddress());
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        handlers.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "urlconnection", "apache"})
    void hundredConcurrentRequestsToASlowHandler(String client) throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Jvm.Run r = Apps.underAgent("apps.HttpApp", base, client, "100");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("100", r.field("right"), r::toString);
        Apps.assertOneOsThread(r);
        // serial: 100 x 0.2 s = 20 s
        Apps.assertWithin(r, "requestsMs", 195, 6000, "100 requests of 200 ms overlap");
    }
}
