package apps;

import io.coop.testsupport.Probe;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * N threads each GET {@code BASE/item/i} once, all at the same moment, with one of three HTTP
 * clients: the JDK's {@code java.net.http.HttpClient} (synchronous {@code send}),
 * {@code HttpURLConnection}, or Apache HttpClient 5 classic (a pooling connection manager sized
 * for N). The server answers "item i" after 200 ms.
 *
 * <p>Args: baseUrl jdk|urlconnection|apache threads
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.HttpApp http://127.0.0.1:8080 apache 100
 * }</pre>
 */
public final class HttpApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String kind = args[1];
        int n = Integer.parseInt(args[2]);
        Probe.start();
        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(n, () -> gate = System.nanoTime());
        HttpClient jdk = kind.equals("jdk") ? HttpClient.newHttpClient() : null;
        PoolingHttpClientConnectionManager cm = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(n).setMaxConnPerRoute(n).build();
        try (CloseableHttpClient apache = HttpClients.custom().setConnectionManager(cm).build()) {
            Threads.runAll(n, "http-client", i -> {
                Probe.mark();
                URI uri = URI.create(base + "/item/" + i);
                start.await(60, TimeUnit.SECONDS);
                String body = switch (kind) {
                    case "jdk" -> {
                        HttpResponse<String> rsp = jdk.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        yield rsp.statusCode() == 200 ? rsp.body() : "status " + rsp.statusCode();
                    }
                    case "urlconnection" -> {
                        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                        int status = c.getResponseCode();
                        try (InputStream in = c.getInputStream()) {
                            String b = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                            yield status == 200 ? b : "status " + status;
                        }
                    }
                    case "apache" -> apache.execute(new HttpGet(uri), rsp ->
                            rsp.getCode() == 200 ? EntityUtils.toString(rsp.getEntity(), StandardCharsets.UTF_8) : "status " + rsp.getCode());
                    default -> throw new IllegalArgumentException(kind);
                };
                Probe.mark();
                if (body.equals("item " + i)) right.incrementAndGet();
                else throw new IllegalStateException("unexpected answer for item " + i + ": " + body);
            }, failures);
        }
        long ms = (System.nanoTime() - gate) / 1_000_000;
        String clientThreads = Threads.describePlatformThreads("HttpClient", "httpclient", "Keep-Alive", "idle-connection");
        Probe.result("right=" + right.get() + " requestsMs=" + ms
                + " clientOsThreads=" + clientThreads + " failures=" + failures.count());
    }
}
