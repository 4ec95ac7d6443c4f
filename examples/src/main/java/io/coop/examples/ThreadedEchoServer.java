package io.coop.examples;

import io.coop.Coop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Seed: "socket concurrency on one thread with gevent": a server written with the JDK's plain
 * blocking {@link ServerSocket}, one greenlet per connection, answering each message in upper
 * case. Run it with {@code -javaagent:coop.jar}: the agent makes {@code accept} and {@code read}
 * wait on the hub, so every connection is served by the one OS thread. (Without the agent the
 * blocking {@code accept} of the hub thread's own code would hold that thread, and the
 * connection greenlets would never run.) Clients: {@link ThreadedEchoClients}, {@link EchoClient}.
 * The first argument is the port (default 8080; 0: any free one).
 */
public final class ThreadedEchoServer {

    static void server(String serverIp, int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(serverIp, port), 500);
            System.out.println("Serving on port " + s.getLocalPort());
            while (true) {
                Socket conn = s.accept();
                Coop.spawn(() -> talk(conn, (InetSocketAddress) conn.getRemoteSocketAddress()));
            }
        }
    }

    static void talk(Socket conn, InetSocketAddress addr) {
        try (conn) {
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                String res = new String(buf, 0, n, StandardCharsets.UTF_8);
                System.out.printf("client %s:%s msg: %s%n", addr.getAddress().getHostAddress(), addr.getPort(), res);
                out.write(res.toUpperCase().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            System.out.println(e);
        }
    }

    public static void main(String[] args) throws IOException {
        server("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 8080);
    }
}
