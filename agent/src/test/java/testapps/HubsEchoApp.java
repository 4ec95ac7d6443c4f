package testapps;

import io.coop.testsupport.Probe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary thread-per-connection echo server and N client threads that all connect first
 * (a latch), then each send 3 lines and check the echoes. Every server-side thread records the
 * OS thread it runs on, and adds to a total under a plain monitor: thread-safe code stays right
 * however many OS threads run it. Prints how many OS threads served connections.
 */
public class HubsEchoApp {
    private static final Object LOCK = new Object();
    private static long total; // guarded by LOCK

    public static void main(String[] args) throws Exception {
        Probe.start();
        int clients = Integer.parseInt(args[0]);
        Map<String, AtomicInteger> servedOn = new ConcurrentHashMap<>();
        AtomicInteger echoed = new AtomicInteger();
        ServerSocket ss = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            Probe.mark();
            try {
                while (true) {
                    Socket s = ss.accept();
                    new Thread(() -> serve(s, servedOn)).start();
                }
            } catch (Exception e) {
                // closed: the end
            }
        }, "acceptor");
        acceptor.start();
        CountDownLatch connected = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                Probe.mark();
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                    connected.countDown();
                    connected.await(); // every connection is open before any line is sent
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    for (int k = 0; k < 3; k++) {
                        String msg = "client " + id + " line " + k;
                        out.println(msg);
                        if (msg.equals(in.readLine())) echoed.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    System.out.println("client " + id + " failed: " + e);
                }
            }, "client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        ss.close();
        acceptor.join(5000);
        long sum;
        synchronized (LOCK) {
            sum = total;
        }
        int fewest = servedOn.values().stream().mapToInt(AtomicInteger::get).min().orElse(0);
        Probe.result("echoed=" + echoed.get() + " total=" + sum + " serverThreads=" + servedOn.size() + " fewestPerThread=" + fewest);
    }

    private static void serve(Socket s, Map<String, AtomicInteger> servedOn) {
        Probe.mark();
        servedOn.computeIfAbsent(Probe.threadSelf(), k -> new AtomicInteger()).incrementAndGet();
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (LOCK) {
                    total++;
                }
            }
        } catch (SocketException e) {
            // peer reset
        } catch (Exception e) {
            System.out.println("server side failed: " + e);
        }
    }
}
