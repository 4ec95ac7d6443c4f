package io.coop.examples;

import io.coop.Coop;
import io.coop.net.Sockets;
import io.coop.pool.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tutorial: "Groups and pools": a service built around a {@link Pool}, one greenlet per socket,
 * refusing sockets when the pool is full. The tutorial only shows the class; {@link #main} runs
 * it with a pool of 2 and three client connections on loopback.
 */
public final class SocketPool {

    private final Pool pool;

    SocketPool(int size) {
        this.pool = new Pool(size);       // the tutorial's is 1000
    }

    void listen(SocketChannel socket) {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        try (socket) {
            while (true) {
                Sockets.waitRead(socket, null);        // this greenlet waits; the others run
                buf.clear();
                int n = socket.read(buf);
                if (n < 0) return;
                System.out.println("received: " + new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void addHandler(SocketChannel socket) {
        if (pool.isFull()) {
            throw new IllegalStateException("At maximum pool size");
        } else {
            pool.spawn(() -> listen(socket));
        }
    }

    void shutdown() {
        pool.kill();
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            SocketPool service = new SocketPool(2);
            List<SocketChannel> clients = new ArrayList<>();
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                for (int i = 0; i < 3; i++) {
                    SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    clients.add(client);
                    SocketChannel accepted = server.accept();
                    accepted.configureBlocking(false);
                    try {
                        service.addHandler(accepted);
                        System.out.println("handler added for client " + i);
                    } catch (IllegalStateException e) {
                        System.out.println("client " + i + " refused: " + e.getMessage());
                        accepted.close();
                    }
                }
                for (int i = 0; i < 2; i++) {
                    clients.get(i).write(ByteBuffer.wrap(("hello from client " + i).getBytes(StandardCharsets.UTF_8)));
                    Coop.sleep(100);                   // the handlers run while main sleeps
                }
            }
            service.shutdown();
            System.out.println("pool size after shutdown: " + service.pool.size());
            for (SocketChannel c : clients) c.close();
            return null;
        });
    }
}
