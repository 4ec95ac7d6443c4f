package io.coop.examples;

import io.coop.Coop;
import io.coop.net.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tutorial: "Gevent ZeroMQ": a request/reply pair whose sends and receives switch between the
 * two greenlets implicitly. Without ZeroMQ, the pair talks over a loopback TCP connection;
 * every receive waits on the hub ({@link Sockets#waitRead}), which is where the switch happens.
 */
public final class RequestReply {

    static void server(ServerSocketChannel listener) throws IOException {
        SocketChannel serverSocket = accept(listener);
        for (int request = 1; request < 10; request++) {
            send(serverSocket, "Hello");
            System.out.println("Switched to Server for " + request);
            // implicit context switch occurs here
            recv(serverSocket, 5);
        }
        serverSocket.close();
    }

    static void client(InetSocketAddress address) throws IOException {
        SocketChannel clientSocket = connect(address);
        for (int request = 1; request < 10; request++) {
            recv(clientSocket, 5);
            System.out.println("Switched to Client for " + request);
            // implicit context switch occurs here
            send(clientSocket, "World");
        }
        clientSocket.close();
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                listener.configureBlocking(false);
                InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
                Coop.joinAll(List.of(
                        Coop.spawn(() -> { server(listener); return null; }),
                        Coop.spawn(() -> { client(address); return null; })));
            }
            return null;
        });
    }

    // ---- the socket calls, each waiting on the hub instead of blocking the thread

    static SocketChannel accept(ServerSocketChannel listener) throws IOException {
        SocketChannel s;
        while ((s = listener.accept()) == null) Sockets.waitRead(listener, null);
        s.configureBlocking(false);
        return s;
    }

    static SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel s = SocketChannel.open();
        s.configureBlocking(false);
        if (!s.connect(address)) {
            do Sockets.waitWrite(s, null); while (!s.finishConnect());
        }
        return s;
    }

    static void send(SocketChannel s, String message) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            if (s.write(buf) == 0) Sockets.waitWrite(s, null);
        }
    }

    static String recv(SocketChannel s, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = s.read(buf);
            if (n < 0) throw new IOException("connection closed");
            if (n == 0) Sockets.waitRead(s, null);
        }
        return new String(buf.array(), StandardCharsets.UTF_8);
    }
}
