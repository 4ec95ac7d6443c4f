package io.coop.junit.races;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A thread-per-connection line server on loopback: answers "price X" with a number, "ping"
 * with "pong", and "hello N" with the order that hello arrived in (0 for the first). It records
 * the order requests arrived in. Ordinary blocking code.
 */
final class PriceServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;
    final List<String> arrivals = new CopyOnWriteArrayList<>();

    PriceServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "price-server");
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = listener.accept();
                new Thread(() -> serve(s), "price-handler").start();
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) return;
            int order;
            synchronized (arrivals) {
                order = arrivals.size();
                arrivals.add(line);
            }
            if (line.startsWith("price ")) out.println(line.length() * 10);
            else if (line.startsWith("hello ")) out.println(order);
            else out.println("pong");
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
