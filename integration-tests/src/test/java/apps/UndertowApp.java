package apps;

import io.coop.testsupport.Probe;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * Undertow (undertow-core on XNIO) with one blocking handler ({@link BlockingHandler}: the
 * request runs on a worker thread) and N worker threads (the default is 8 per I/O thread, 16 on
 * two cores, which would make the slow requests queue): {@code /slow?i=N} waits
 * {@code sleepMs} and answers "slow N", {@code /fast?i=N} answers "fast N" at once. main starts
 * it on a free loopback port, sends N requests to /slow from N threads at the same moment, then
 * a throughput round to /fast (10 threads x 200 keep-alive requests), and stops it.
 *
 * <p>Args: n sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.UndertowApp 100 200
 * }</pre>
 */
public final class UndertowApp {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long sleepMs = Long.parseLong(args[1]);
        Probe.start();

        long t0 = System.nanoTime();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setWorkerThreads(n)
                .setHandler(new BlockingHandler(exchange -> {
                    Probe.mark();
                    String path = exchange.getRequestPath();
                    String i = exchange.getQueryParameters().get("i").getFirst();
                    if (path.equals("/slow")) Thread.sleep(sleepMs);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                    exchange.getResponseSender().send(path.substring(1) + " " + i);
                }))
                .build();
        server.start();
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        String base = "http://127.0.0.1:" + port;

        Load.measureServer(base, n, sleepMs, startMs, "XNIO", () -> server.stop());
    }
}
