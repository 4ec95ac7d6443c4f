package apps;

import io.coop.testsupport.Probe;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12 with its default settings (a {@code QueuedThreadPool}, one {@code ServerConnector}
 * with the default accept queue) and one blocking handler: {@code /slow?i=N} waits
 * {@code sleepMs} and answers "slow N", {@code /fast?i=N} answers "fast N" at once. main starts
 * the server on a free loopback port, sends N requests to /slow from N threads at the same
 * moment, then a throughput round to /fast (10 threads x 200 keep-alive requests), and stops it.
 *
 * <p>Args: n sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.JettyApp 100 200
 * }</pre>
 */
public final class JettyApp {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long sleepMs = Long.parseLong(args[1]);
        Probe.start();

        long t0 = System.nanoTime();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Probe.mark();
                String path = Request.getPathInContext(request);
                String i = Request.extractQueryParameters(request).getValue("i");
                if (path.equals("/slow")) Thread.sleep(sleepMs);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, path.substring(1) + " " + i, callback);
                return true;
            }
        });
        server.start();
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        String base = "http://127.0.0.1:" + connector.getLocalPort();

        Load.measureServer(base, n, sleepMs, startMs, "qtp", () -> server.stop());
    }
}
