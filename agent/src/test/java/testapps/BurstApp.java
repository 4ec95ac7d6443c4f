package testapps;

import io.coop.testsupport.Probe;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of connects to a server with the JDK's default listen backlog (50): one acceptor
 * thread, a thread per connection answering one byte, and N client threads released at once.
 * Prints how long the slowest connect and the whole burst took. On one OS thread all clients
 * connect before the acceptor runs again: with a backlog of 50 the kernel drops the rest, whose
 * connects then take the SYN retry's full second.
 *
 * <p>Args: socket|channel clients
 */
public class BurstApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        String kind = args[0];
        int clients = Integer.parseInt(args[1]);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        AutoCloseable server;
        int port;
        Thread acceptor;
        if (kind.equals("socket")) {
            ServerSocket ss = new ServerSocket(0, 0, InetAddress.getLoopbackAddress()); // 0: the JDK's default backlog
            server = ss;
            port = ss.getLocalPort();
            acceptor = new Thread(() -> {
                try {
                    while (true) answer(ss.accept());
                } catch (Exception closed) {
                    // the server closed: done
                }
            }, "acceptor");
        } else {
            ServerSocketChannel ssc = ServerSocketChannel.open().bind(any); // the JDK's default backlog
            server = ssc;
            port = ((InetSocketAddress) ssc.getLocalAddress()).getPort();
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        SocketChannel c = ssc.accept();
                        answer(c.socket());
                    }
                } catch (Exception closed) {
                    // the server closed: done
                }
            }, "acceptor");
        }
        acceptor.setDaemon(true);
        acceptor.start();
        Thread.sleep(50);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        long[] slowestConnectNanos = new long[1];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long t0 = System.nanoTime();
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        long took = System.nanoTime() - t0;
                        synchronized (slowestConnectNanos) {
                            slowestConnectNanos[0] = Math.max(slowestConnectNanos[0], took);
                        }
                        s.getOutputStream().write(1);
                        if (s.getInputStream().read() == 2) ok.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.err.println("client failed: " + e);
                }
            });
            t.start();
            ts.add(t);
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : ts) t.join();
        long burstMs = (System.nanoTime() - t0) / 1_000_000;
        server.close();
        Probe.result("ok=" + ok.get() + " burstMs=" + burstMs + " slowestConnectMs=" + slowestConnectNanos[0] / 1_000_000);
    }

    static void answer(Socket s) {
        new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                if (in.read() == 1) out.write(2);
            } catch (Exception e) {
                System.err.println("server side failed: " + e);
            }
        }).start();
    }
}
