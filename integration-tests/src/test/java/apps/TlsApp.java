package apps;

import io.coop.testsupport.Probe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS with the JDK's SSLServerSocket and SSLSocket: a thread-per-connection server whose handler
 * reads a line, waits 200 ms and answers it, and N client threads that connect and shake hands
 * (TLS 1.3, all at once), then, once every connection is up, each send a line and check the
 * answer. The server's key and
 * self-signed certificate come from a PKCS12 file that the clients also use as trust store.
 *
 * <p>Args: keystore.p12 password threads
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.TlsApp server.p12 secret 100
 * }</pre>
 */
public final class TlsApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        Path keystore = Path.of(args[0]);
        char[] password = args[1].toCharArray();
        int n = Integer.parseInt(args[2]);
        Probe.start();
        TlsContexts tls = TlsContexts.load(keystore, password);
        SSLContext serverCtx = tls.server();
        SSLContext clientCtx = tls.client();

        Threads.Failures failures = new Threads.Failures();
        AtomicInteger served = new AtomicInteger();
        SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 512, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        Thread acceptor = new Thread(() -> {
            Probe.mark();
            try {
                while (true) {
                    SSLSocket s = (SSLSocket) server.accept();
                    new Thread(() -> {
                        Probe.mark();
                        try (s) {
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                            String line = in.readLine();
                            Thread.sleep(200);
                            Probe.mark();
                            out.println("echo " + line + " over " + s.getSession().getProtocol());
                            served.incrementAndGet();
                        } catch (Exception e) {
                            failures.add("server handler", e);
                        }
                    }, "tls-handler").start();
                }
            } catch (SocketException e) {
                // closed: done
            } catch (Exception e) {
                failures.add("acceptor", e);
            }
        }, "tls-acceptor");
        acceptor.start();

        AtomicInteger right = new AtomicInteger();
        long t0 = System.nanoTime();
        CyclicBarrier shaken = new CyclicBarrier(n, () -> gate = System.nanoTime());
        String[] protocol = {"?"};
        Threads.runAll(n, "tls-client", i -> {
            Probe.mark();
            try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                s.startHandshake();
                protocol[0] = s.getSession().getProtocol();
                // every connection is up: all exchange at the same moment
                shaken.await(60, TimeUnit.SECONDS);
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.println("hello " + i);
                String answer = in.readLine();
                Probe.mark();
                if (("echo hello " + i + " over " + protocol[0]).equals(answer)) right.incrementAndGet();
                else throw new IllegalStateException("client " + i + " got " + answer);
            }
        }, failures);
        long ms = (System.nanoTime() - gate) / 1_000_000;
        long handshakesMs = (gate - t0) / 1_000_000;
        server.close();
        acceptor.join(5000);
        Probe.result("right=" + right.get() + " served=" + served.get() + " protocol=" + protocol[0] + " handshakesMs=" + handshakesMs + " exchangeMs=" + ms
                + " failures=" + failures.count());
    }
}
