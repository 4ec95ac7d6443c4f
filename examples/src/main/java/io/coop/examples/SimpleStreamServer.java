package io.coop.examples;

import io.coop.Coop;
import io.coop.net.StreamServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Tutorial: "Simple servers": a {@link StreamServer} greets each client and counts to 4; each
 * connection is a greenlet running plain blocking code. Try it with {@code nc 127.0.0.1 5000}.
 * The first argument changes the port (0: any free one).
 */
public final class SimpleStreamServer {

    static void handle(Socket socket, InetSocketAddress address) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("Hello from a telnet!\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) out.write((i + "\n").getBytes(StandardCharsets.UTF_8));
        socket.close();
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Coop.run(() -> {
            StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", port), SimpleStreamServer::handle);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
