package testapps;

import io.coop.testsupport.Probe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread-per-connection echo server (java.net and, with "channels", blocking NIO channels)
 * and N client threads, each sending 3 lines 100 ms apart and checking the echoes. Closing the
 * server ends the accept loop blocked in accept() with "Socket closed".
 */
public class EchoApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        int clients = Integer.parseInt(args[0]);
        boolean channels = args.length > 1 && args[1].equals("channels");
        AtomicInteger echoed = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<String> acceptEnd = new AtomicReference<>("none");
        InetSocketAddress address;
        Thread acceptor;
        AutoCloseable server;
        if (!channels) {
            ServerSocket ss = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            address = (InetSocketAddress) ss.getLocalSocketAddress();
            server = ss;
            acceptor = new Thread(() -> {
                Probe.mark();
                try {
                    while (true) {
                        Socket s = ss.accept();
                        new Thread(() -> serve(s, served)).start();
                    }
                } catch (Exception e) {
                    acceptEnd.set(e.getClass().getSimpleName() + ":" + e.getMessage().replace(' ', '_'));
                }
            }, "acceptor");
        } else {
            ServerSocketChannel ssc = ServerSocketChannel.open();
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            address = (InetSocketAddress) ssc.getLocalAddress();
            server = ssc;
            acceptor = new Thread(() -> {
                Probe.mark();
                try {
                    while (true) {
                        SocketChannel sc = ssc.accept();
                        new Thread(() -> serveChannel(sc, served)).start();
                    }
                } catch (Exception e) {
                    acceptEnd.set(e.getClass().getSimpleName());
                }
            }, "acceptor");
        }
        acceptor.start();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                Probe.mark();
                try (Socket s = new Socket(address.getAddress(), address.getPort())) {
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    for (int k = 0; k < 3; k++) {
                        String msg = "client " + id + " line " + k;
                        out.println(msg);
                        if (msg.equals(in.readLine())) echoed.incrementAndGet();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    System.out.println("client " + id + " failed: " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        server.close();
        acceptor.join(5000);
        Probe.result("echoed=" + echoed.get() + " served=" + served.get() + " acceptEnd=" + acceptEnd.get());
    }

    private static void serve(Socket s, AtomicInteger served) {
        Probe.mark();
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            String line;
            while ((line = in.readLine()) != null) out.println(line);
            served.incrementAndGet();
        } catch (SocketException e) {
            // peer reset
        } catch (Exception e) {
            System.out.println("server side failed: " + e);
        }
    }

    private static void serveChannel(SocketChannel sc, AtomicInteger served) {
        Probe.mark();
        try (sc) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (sc.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) sc.write(buf);
                buf.clear();
            }
            served.incrementAndGet();
        } catch (Exception e) {
            // peer reset
        }
    }
}
