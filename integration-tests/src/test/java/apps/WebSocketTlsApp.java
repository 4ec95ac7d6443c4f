package apps;

import io.coop.testsupport.Probe;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * WebSockets over TLS with Java-WebSocket: its NIO server (one selector thread, worker threads,
 * and an executor that runs the TLS engine's delegated tasks) echoes text messages; N client
 * threads, each a blocking {@code WebSocketClient} on an SSLSocket (with its own reader thread),
 * connect at the same moment, send M messages one after another, each waiting for its echo,
 * and close. Then the server stops. Besides the times it reports the echo rate (messages/s of
 * the echo round, each message a round trip), the process's OS threads once every client is
 * connected, and a digest of every echo in order. A handshake or an echo that does not complete
 * within 10 s is counted as lost ({@code lostConnects}, {@code lostEchoes}) and ends that client's
 * round: without coop, Java-WebSocket's TLS server loses one now and then (about one run in six
 * here: an echo the server counts as sent never reaches the client, or a client's upgrade request
 * goes unanswered).
 *
 * <p>Args: keystore.p12 password clients messagesPerClient
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.WebSocketTlsApp server.p12 secret 50 20
 * }</pre>
 */
public final class WebSocketTlsApp {
    /** How long a client waits for its handshake, or for one echo; each whole round takes about a second. */
    private static final int LOSS_WAIT_SECONDS = 10;
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        Path keystore = Path.of(args[0]);
        char[] password = args[1].toCharArray();
        int n = Integer.parseInt(args[2]);
        int perClient = Integer.parseInt(args[3]);
        Probe.start();
        TlsContexts tls = TlsContexts.load(keystore, password);
        SSLContext serverCtx = tls.server();
        SSLContext clientCtx = tls.client();

        Threads.Failures failures = new Threads.Failures();
        AtomicInteger echoed = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        long t0 = System.nanoTime();
        WebSocketServer server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override
            public void onOpen(WebSocket conn, ClientHandshake handshake) {
                Probe.mark();
                opened.incrementAndGet();
            }

            @Override
            public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            }

            @Override
            public void onMessage(WebSocket conn, String message) {
                Probe.mark();
                conn.send("echo " + message);
                echoed.incrementAndGet();
            }

            @Override
            public void onError(WebSocket conn, Exception ex) {
                failures.add("server" + (conn == null ? "" : " " + conn.getRemoteSocketAddress()), ex);
            }

            @Override
            public void onStart() {
                started.countDown();
            }
        };
        server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(serverCtx));
        server.start();
        if (!started.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the server did not start");
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        int port = server.getPort();

        AtomicInteger right = new AtomicInteger();
        AtomicInteger closeTimeouts = new AtomicInteger();
        AtomicInteger lostEchoes = new AtomicInteger();
        AtomicInteger lostConnects = new AtomicInteger();
        long[] marks = new long[1];
        int[] processOsThreads = new int[1];
        String[] answers = new String[n * perClient];
        CyclicBarrier start = new CyclicBarrier(n, () -> gate = System.nanoTime());
        CyclicBarrier connected = new CyclicBarrier(n, () -> {
            marks[0] = System.nanoTime();
            processOsThreads[0] = Load.processOsThreads(); // every client connected, with its reader thread
        });
        Threads.runAll(n, "ws-client", i -> {
            Probe.mark();
            BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
            CountDownLatch closed = new CountDownLatch(1);
            WebSocketClient client = new WebSocketClient(URI.create("wss://127.0.0.1:" + port + "/chat/" + i)) {
                @Override
                public void onOpen(ServerHandshake handshake) {
                }

                @Override
                public void onMessage(String message) {
                    Probe.mark();
                    inbox.add(message);
                }

                @Override
                public void onClose(int code, String reason, boolean remote) {
                    closed.countDown();
                }

                @Override
                public void onError(Exception ex) {
                    failures.add("client " + i, ex);
                }
            };
            client.setSocketFactory(clientCtx.getSocketFactory());
            start.await(60, TimeUnit.SECONDS);
            boolean open = client.connectBlocking(LOSS_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!open) {
                System.out.println("LOST client " + i + " did not connect in " + LOSS_WAIT_SECONDS + " s");
                lostConnects.incrementAndGet();
            }
            connected.await(60, TimeUnit.SECONDS); // the others go on without it
            if (!open) return;
            for (int k = 0; k < perClient; k++) {
                String m = i + "/" + k;
                client.send(m);
                String a = inbox.poll(LOSS_WAIT_SECONDS, TimeUnit.SECONDS);
                if (a == null) {
                    // the server counted the echo as sent, yet it never arrived: a figure, and this
                    // client stops here (its later echoes would wait behind the lost one)
                    System.out.println("LOST client " + i + " sent " + m + ", no echo in " + LOSS_WAIT_SECONDS + " s");
                    lostEchoes.incrementAndGet();
                    break;
                }
                answers[i * perClient + k] = a;
                if (!("echo " + m).equals(a)) throw new IllegalStateException("client " + i + " sent " + m + ", got " + a);
                right.incrementAndGet();
            }
            // closeBlocking() has no time limit, and Java-WebSocket's TLS close handshake has been
            // seen to hang without coop too: a bounded wait, counted, so a lost close is a figure
            client.close();
            if (!closed.await(10, TimeUnit.SECONDS)) closeTimeouts.incrementAndGet();
            Probe.mark();
        }, failures);
        long end = System.nanoTime();
        String serverThreads = Threads.describePlatformThreads("WebSocket", "pool-");
        long t1 = System.nanoTime();
        server.stop(10_000);
        long stopMs = (System.nanoTime() - t1) / 1_000_000;
        Probe.result("right=" + right.get() + " opened=" + opened.get() + " echoed=" + echoed.get() + " startMs=" + startMs
                + " connectMs=" + (marks[0] - gate) / 1_000_000 + " messagesMs=" + (end - marks[0]) / 1_000_000
                + " messagesPerSecond=" + Load.perSecond(right.get(), end - marks[0]) + " processOsThreads=" + processOsThreads[0]
                + " responses=" + Load.digest(answers) + " stopMs=" + stopMs
                + " wsOsThreads=" + serverThreads + " closeTimeouts=" + closeTimeouts.get() + " lostEchoes=" + lostEchoes.get() + " lostConnects=" + lostConnects.get() + " failures=" + failures.count());
    }
}
