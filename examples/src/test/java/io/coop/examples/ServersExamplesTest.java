package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/17-servers.md: each server example runs its own main in a JVM of its own on a free port
 * (argument 0), is queried by real clients from this JVM, then stopped with SIGTERM.
 */
class ServersExamplesTest {

    /** An example server in a child JVM, with the port it printed. */
    static final class Serving implements AutoCloseable {
        final ChildJvm jvm;
        final int port;

        Serving(Class<?> example) throws Exception {
            jvm = ChildJvm.start(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), example.getName(), "0");
            assertTrue(jvm.awaitLine("Serving on port ", 30_000), "no 'Serving on port' line; stderr:\n" + jvm.stderr());
            String line = jvm.stdout().get(0);
            port = Integer.parseInt(line.substring("Serving on port ".length()));
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        @Override
        public void close() throws Exception {
            jvm.process.toHandle().destroy();
            jvm.waitFor(30);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void simpleStreamServer() throws Exception {
        try (Serving s = new Serving(SimpleStreamServer.class);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", s.port), 10_000);
            client.setSoTimeout(10_000);
            String got = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("Hello from a telnet!\n0\n1\n2\n3\n4\n", got);
        }
    }

    @Test
    void httpHelloServer() throws Exception {
        try (Serving s = new Serving(HttpHelloServer.class)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(s.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("text/html", r.headers().firstValue("Content-Type").orElse(null));
            assertEquals("18", r.headers().firstValue("Content-Length").orElse(null));
            assertEquals("<p>Hello World</p>", r.body());
        }
    }

    @Test
    void streamingHttpServerSendsChunks() throws Exception {
        try (Serving s = new Serving(StreamingHttpServer.class);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", s.port), 10_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String got = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n"), got);
            String head = got.substring(0, got.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertTrue(head.contains("\r\ntransfer-encoding: chunked"), got);
            assertTrue(head.contains("\r\ncontent-type: text/html"), got);
            assertEquals("8\r\n<p>Hello\r\n9\r\nWorld</p>\r\n0\r\n\r\n", got.substring(got.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void longPollingStreamsOneMessageASecond() throws Exception {
        try (Serving s = new Serving(LongPolling.class)) {
            HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(s.uri("/")).build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
            Iterator<String> lines = r.body().iterator();
            List<Long> at = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertEquals("\"Hello World\"", lines.next());
                at.add((System.nanoTime() - t0) / 1_000_000);
            }
            r.body().close();
            // the first was already queued; then one a second
            Timing.within(at.get(2) - at.get(0), 1500, 3500);
        }
    }

    @Test
    void requestLocal() throws Exception {
        try (Serving s = new Serving(RequestLocal.class)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(s.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello 127.0.0.1", r.body());
        }
    }

    @Test
    void webSocketServer() throws Exception {
        try (Serving s = new Serving(WebSocketServer.class)) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(s.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("<h1>WebSocket Example</h1>"), page.body());

            LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + s.port + "/"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            for (int x = 0; x < 3; x++) {
                String m = messages.poll(10, TimeUnit.SECONDS);
                assertTrue(m != null && m.matches("\\{\"x\": " + x + ", \"y\": [1-5]\\}"), String.valueOf(m));
            }
            Timing.within((System.nanoTime() - t0) / 1_000_000, 800, 3000);   // sent every 0.5 s
            ws.abort();
        }
    }

}
