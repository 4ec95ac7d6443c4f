package echoapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An ordinary blocking echo server, a thread per connection, written with no knowledge of coop:
 * figure 6 runs this same class with and without {@code -javaagent:coop.jar}. It lives outside
 * {@code io.coop} on purpose: the agent leaves threads started by coop's own classes as OS threads.
 *
 * <pre>{@code
 * java -cp benchmarks.jar echoapp.ThreadPerConnectionEcho 19010
 * java -javaagent:coop.jar -cp benchmarks.jar echoapp.ThreadPerConnectionEcho 19010
 * }</pre>
 */
public final class ThreadPerConnectionEcho {
    private ThreadPerConnectionEcho() {
    }

    public static void main(String[] args) throws IOException {
        serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), false);
    }

    /** Accepts forever on {@code address}, a platform (or virtual) thread per connection. */
    public static void serve(InetSocketAddress address, boolean virtual) throws IOException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(address, 4096);
            System.out.println("ready " + listener.getLocalSocketAddress());
            while (true) {
                Socket socket = listener.accept();
                Runnable serve = () -> echo(socket);
                if (virtual) {
                    Thread.ofVirtual().start(serve);
                } else {
                    new Thread(serve).start();
                }
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException e) {
            // the client went away: this connection ends
        }
    }
}
