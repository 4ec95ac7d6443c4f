package apps;

import io.coop.testsupport.Probe;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.AsyncServerBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.ssl.BasicServerTlsStrategy;
import org.apache.hc.core5.http.nio.support.AsyncResponseBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;

/**
 * HTTPS on both ends of Apache HttpCore 5's NIO reactor: an HttpCore 5 async server
 * ({@code AsyncServerBootstrap} with a TLS strategy) and an HttpClient 5 async client (pooling,
 * TLS), each driving its own selector loop threads. Round 1: N threads each send one request at
 * the same moment, so N TLS handshakes run at once on both reactors, and the server answers each
 * after {@code delayMs} (a scheduled task, not a blocked reactor). Round 2: the same N threads
 * send M requests each, one after another, on the pooled connections, answered at once: the
 * reactors always have work. Besides the times it reports the start-up (server listening, client
 * started), round 2's requests/s, the process's OS threads between the rounds (every
 * connection open), a digest of every answer in order, and the close.
 *
 * <p>Args: keystore.p12 password threads delayMs requestsPerThread
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.AsyncTlsApp server.p12 secret 100 200 20
 * }</pre>
 */
public final class AsyncTlsApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        Path keystore = Path.of(args[0]);
        char[] password = args[1].toCharArray();
        int n = Integer.parseInt(args[2]);
        long delayMs = Long.parseLong(args[3]);
        int perThread = Integer.parseInt(args[4]);
        Probe.start();
        TlsContexts tls = TlsContexts.load(keystore, password);
        SSLContext serverCtx = tls.server();
        SSLContext clientCtx = tls.client();

        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger served = new AtomicInteger();
        long t0 = System.nanoTime();
        HttpAsyncServer server = AsyncServerBootstrap.bootstrap()
                .setCanonicalHostName("127.0.0.1")
                .setTlsStrategy(new BasicServerTlsStrategy(serverCtx))
                .register("*", new AsyncServerRequestHandler<Message<HttpRequest, Void>>() {
                    @Override
                    public AsyncRequestConsumer<Message<HttpRequest, Void>> prepare(HttpRequest request, EntityDetails entity, HttpContext context) {
                        return new BasicRequestConsumer<>(entity != null ? new DiscardingEntityConsumer<>() : null);
                    }

                    @Override
                    public void handle(Message<HttpRequest, Void> message, ResponseTrigger trigger, HttpContext context) {
                        Probe.mark();
                        String path = message.getHead().getPath();
                        SSLSession tls = HttpCoreContext.cast(context).getSSLSession();
                        String body = path + " over " + (tls == null ? "plain" : tls.getProtocol());
                        Runnable answer = () -> {
                            Probe.mark();
                            try {
                                trigger.submitResponse(AsyncResponseBuilder.create(200).setEntity(body, ContentType.TEXT_PLAIN).build(), context);
                                served.incrementAndGet();
                            } catch (Exception e) {
                                System.out.println("FAILURE answer " + path + ": " + e);
                            }
                        };
                        if (path.startsWith("/slow/")) timers.schedule(answer, delayMs, TimeUnit.MILLISECONDS);
                        else answer.run();
                    }
                })
                .create();
        server.start();
        ListenerEndpoint listener = server.listen(new InetSocketAddress("127.0.0.1", 0), URIScheme.HTTPS).get(30, TimeUnit.SECONDS);
        int port = ((InetSocketAddress) listener.getAddress()).getPort();

        PoolingAsyncClientConnectionManager cm = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(clientCtx).buildAsync())
                .setMaxConnTotal(n).setMaxConnPerRoute(n).build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom().setConnectionManager(cm).build();
        client.start();
        long startMs = (System.nanoTime() - t0) / 1_000_000;

        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        String base = "https://127.0.0.1:" + port;
        String[] protocol = {"?"};
        long[] marks = new long[2];
        int[] processOsThreads = new int[1];
        String[] answers = new String[n * (1 + perThread)];
        CyclicBarrier start = new CyclicBarrier(n, () -> gate = System.nanoTime());
        CyclicBarrier round2 = new CyclicBarrier(n, () -> {
            marks[0] = System.nanoTime();
            processOsThreads[0] = Load.processOsThreads(); // every caller waiting, every TLS connection open
        });
        Threads.runAll(n, "tls-client", i -> {
            Probe.mark();
            start.await(60, TimeUnit.SECONDS);
            String answer = get(client, base + "/slow/" + i);
            answers[i * (1 + perThread)] = answer;
            if (!answer.startsWith("/slow/" + i + " over TLSv")) throw new IllegalStateException("slow " + i + " got " + answer);
            protocol[0] = answer.substring(answer.indexOf(" over ") + 6);
            right.incrementAndGet();
            round2.await(60, TimeUnit.SECONDS);
            for (int k = 0; k < perThread; k++) {
                String a = get(client, base + "/fast/" + i + "/" + k);
                answers[i * (1 + perThread) + 1 + k] = a;
                if (!a.equals("/fast/" + i + "/" + k + " over " + protocol[0])) throw new IllegalStateException("fast " + i + "/" + k + " got " + a);
                right.incrementAndGet();
            }
            Probe.mark();
        }, failures);
        long end = System.nanoTime();
        long handshakeRoundMs = (marks[0] - gate) / 1_000_000;
        long fastRoundMs = (end - marks[0]) / 1_000_000;
        String reactorThreads = Threads.describePlatformThreads("httpcore", "httpclient", "pool-");
        long t1 = System.nanoTime();
        client.close(CloseMode.GRACEFUL);
        server.close(CloseMode.GRACEFUL);
        timers.shutdown();
        long stopMs = (System.nanoTime() - t1) / 1_000_000;
        Probe.result("right=" + right.get() + " served=" + served.get() + " protocol=" + protocol[0] + " startMs=" + startMs
                + " handshakeRoundMs=" + handshakeRoundMs + " fastRoundMs=" + fastRoundMs
                + " requestsPerSecond=" + Load.perSecond((long) n * perThread, end - marks[0]) + " processOsThreads=" + processOsThreads[0]
                + " responses=" + Load.digest(answers) + " stopMs=" + stopMs + " reactorOsThreads=" + reactorThreads + " failures=" + failures.count());
    }

    private static String get(CloseableHttpAsyncClient client, String uri) throws Exception {
        SimpleHttpRequest request = SimpleRequestBuilder.get(uri).build();
        SimpleHttpResponse response = client.execute(request, null).get(30, TimeUnit.SECONDS);
        Probe.mark();
        if (response.getCode() != 200) throw new IllegalStateException(uri + ": status " + response.getCode());
        return response.getBodyText();
    }
}
