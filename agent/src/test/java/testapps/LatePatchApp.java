package testapps;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Hub;
import io.coop.net.Sockets;
import io.coop.testsupport.Probe;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

/**
 * coop used as a library before {@code Monkey.patchAll()}: the main thread's hub starts on a
 * Selector (java.base/sun.nio.ch is not open to coop yet) and a greenlet waits there for a
 * pending connection; then patchAll() (in Probe.start) and a patched blocking socket read in
 * another greenlet make the hub wait on a raw descriptor. The hub moves to epoll with the
 * channel wait still going on: that wait ends when the connection arrives, not before.
 */
public class LatePatchApp {
    public static void main(String[] args) throws Exception {
        Hub hub = Coop.hub(); // before patchAll: the main thread's hub, library use
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             ServerSocket quiet = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            long[] readyAfter = {-1};
            Greenlet<Boolean> acceptor = Coop.spawn(() -> {
                Probe.mark();
                long t0 = System.nanoTime();
                boolean ready = Sockets.waitRead(listener, Duration.ofSeconds(5));
                readyAfter[0] = (System.nanoTime() - t0) / 1_000_000;
                return ready;
            });
            Coop.sleep(50);
            String before = io(hub);

            Probe.start(); // Monkey.patchAll(): the socket area is patched from here on
            Greenlet<String> reader = Coop.spawn(() -> {
                Probe.mark();
                try (Socket s = new Socket("127.0.0.1", quiet.getLocalPort())) {
                    s.setSoTimeout(400);
                    s.getInputStream().read(); // patched: waits on a raw descriptor, nobody writes
                    return "read";
                } catch (SocketTimeoutException e) {
                    return e.getClass().getSimpleName();
                }
            });
            Coop.sleep(200);
            String after = io(hub);
            boolean early = acceptor.isDead();
            try (Socket client = new Socket("127.0.0.1", port)) {
                boolean ready = acceptor.get();
                Probe.result("ioBefore=" + before + " ioAfter=" + after + " acceptorEarly=" + early + " ready=" + ready
                        + " readyAfterMs=" + readyAfter[0] + " reader=" + reader.get() + " ioWaitersLeft=" + hub.stats().contains("ioWaiters=0"));
            }
        }
    }

    /** The hub's I/O driver as its stats show it. */
    private static String io(Hub hub) {
        String s = hub.stats();
        int i = s.indexOf("io=");
        return s.substring(i + 3, s.indexOf(',', i));
    }
}
