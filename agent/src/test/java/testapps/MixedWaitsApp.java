package testapps;

import io.coop.net.Sockets;
import io.coop.testsupport.Probe;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

/**
 * A wait on the hub's own selector (coop's Sockets.waitRead, what StreamServer and HttpServer
 * use) while another thread waits in a patched blocking socket read: a coop server and a plain
 * JDK client in one program. The selector wait must end as soon as the connection is pending.
 */
public class MixedWaitsApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        listener.configureBlocking(false);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        long[] readyAfter = {-1};
        boolean[] ready = new boolean[1];
        Thread acceptor = new Thread(() -> {
            Probe.mark();
            long t0 = System.nanoTime();
            ready[0] = Sockets.waitRead(listener, Duration.ofSeconds(5));
            readyAfter[0] = (System.nanoTime() - t0) / 1_000_000;
        });
        acceptor.start();
        Thread client = new Thread(() -> {
            Probe.mark();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(1000);
                s.getInputStream().read();           // patched: waits on the hub's epoll
            } catch (java.net.SocketTimeoutException e) {
                // nobody answers: expected
            } catch (Exception e) {
                System.out.println("client failed: " + e);
            }
        });
        client.start();
        acceptor.join();
        client.join();
        listener.close();
        Probe.result("ready=" + ready[0] + " readyAfterMs=" + readyAfter[0]);
    }
}
