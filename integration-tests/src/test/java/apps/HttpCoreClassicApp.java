package apps;

import io.coop.testsupport.Probe;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpCore 5's classic (blocking, thread-per-connection) server from
 * {@link ServerBootstrap}, with its defaults and one handler: {@code /slow?i=N} waits
 * {@code sleepMs} and answers "slow N", {@code /fast?i=N} answers "fast N" at once. main starts
 * it on a free loopback port, sends N requests to /slow from N threads at the same moment, then
 * a throughput round to /fast (10 threads x 200 keep-alive requests), and closes it at once.
 *
 * <p>Args: n sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.HttpCoreClassicApp 100 200
 * }</pre>
 */
public final class HttpCoreClassicApp {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long sleepMs = Long.parseLong(args[1]);
        Probe.start();
        ContentType text = ContentType.create("text/plain", StandardCharsets.UTF_8);

        long t0 = System.nanoTime();
        HttpServer server = ServerBootstrap.bootstrap()
                .setLocalAddress(InetAddress.getLoopbackAddress())
                .setListenerPort(0)
                // requests for another host (the Host header) are answered 421
                .setCanonicalHostName("127.0.0.1")
                .register("*", (request, response, context) -> {
                    Probe.mark();
                    String target = request.getPath(); // "/slow?i=7"
                    int q = target.indexOf("?i=");
                    String path = target.substring(0, q);
                    String i = target.substring(q + 3);
                    if (path.equals("/slow")) Probe.sleep(sleepMs);
                    response.setCode(200);
                    response.setEntity(new StringEntity(path.substring(1) + " " + i, text));
                })
                .create();
        server.start();
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        String base = "http://127.0.0.1:" + server.getLocalPort();

        // GRACEFUL would wait its 5 s for the workers serving the clients' idle keep-alive connections (with or without coop)
        Load.measureServer(base, n, sleepMs, startMs, "HTTP-", () -> server.close(CloseMode.IMMEDIATE));
    }
}
