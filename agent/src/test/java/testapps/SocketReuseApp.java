package testapps;

import io.coop.testsupport.Probe;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Socket waits that leave a descriptor's readiness registration behind, then reuse the number:
 * 30 rounds of a read that times out, a close, and a new connection (the kernel hands out the
 * lowest free number, so the same one comes back) whose read must still see its byte; a read
 * ended by a close from another thread; and one socket with a reader and a blocked writer at once.
 */
public class SocketReuseApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Probe.mark();
        // all socket work in a thread: under patchAll the main thread is the hub's own, and its
        // blocking socket calls are not rerouted
        AtomicReference<String> result = new AtomicReference<>("none");
        Thread driver = new Thread(() -> {
            Probe.mark();
            try {
                result.set(run());
            } catch (Exception e) {
                result.set("failed=" + e.toString().replace(' ', '_'));
            }
        });
        driver.start();
        driver.join();
        Probe.result(result.get());
    }

    private static String run() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int timedOut = 0, readAfterReuse = 0;
            for (int i = 0; i < 30; i++) {
                try (Socket c = connect(ss); Socket peer = ss.accept()) {
                    c.setSoTimeout(20);
                    try {
                        c.getInputStream().read();
                    } catch (SocketTimeoutException e) {
                        timedOut++;
                    }
                }
                try (Socket c = connect(ss); Socket peer = ss.accept()) {
                    Thread writer = new Thread(() -> {
                        Probe.mark();
                        Probe.sleep(20);
                        try {
                            peer.getOutputStream().write(7);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    writer.start();
                    // a read whose wake-up was lost would still get its byte once the timeout ends
                    // the wait (the JDK reads again): only a prompt answer counts
                    c.setSoTimeout(5000);
                    long t0 = System.nanoTime();
                    if (c.getInputStream().read() == 7 && System.nanoTime() - t0 < 2_000_000_000L) readAfterReuse++;
                    writer.join();
                }
            }
            return "timedOut=" + timedOut + " readAfterReuse=" + readAfterReuse
                    + " closeEndsRead=" + closeEndsRead(ss) + " readerAndWriter=" + readerAndWriter(ss);
        }
    }

    private static Socket connect(ServerSocket ss) throws Exception {
        return new Socket(ss.getInetAddress(), ss.getLocalPort());
    }

    /** A thread blocked in read, the socket closed by another: the read ends with the JDK's exception. */
    private static String closeEndsRead(ServerSocket ss) throws Exception {
        try (Socket c = connect(ss); Socket peer = ss.accept()) {
            AtomicReference<String> outcome = new AtomicReference<>("none");
            Thread reader = new Thread(() -> {
                Probe.mark();
                try {
                    outcome.set("read:" + c.getInputStream().read());
                } catch (Exception e) {
                    outcome.set(e.getClass().getSimpleName() + ":" + e.getMessage().replace(' ', '_'));
                }
            });
            reader.start();
            Probe.sleep(100);
            c.close();
            reader.join(5000);
            return outcome.get();
        }
    }

    /**
     * One socket, two waits: a writer blocked on a full send buffer and a reader blocked on an
     * empty receive buffer. The peer drains (the writer goes on), then answers (the reader goes on).
     */
    private static String readerAndWriter(ServerSocket ss) throws Exception {
        try (Socket c = connect(ss); Socket peer = ss.accept()) {
            c.setSendBufferSize(16 * 1024);
            peer.setReceiveBufferSize(16 * 1024);
            int total = 4 * 1024 * 1024;
            AtomicReference<String> written = new AtomicReference<>("none");
            AtomicReference<String> read = new AtomicReference<>("none");
            long[] readAt = new long[1];
            Thread writer = new Thread(() -> {
                Probe.mark();
                try {
                    OutputStream out = c.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < total; sent += chunk.length) out.write(chunk);
                    written.set("ok");
                } catch (Exception e) {
                    written.set(e.toString());
                }
            });
            Thread reader = new Thread(() -> {
                Probe.mark();
                try {
                    c.setSoTimeout(10_000);
                    int b = c.getInputStream().read();
                    readAt[0] = System.nanoTime();
                    read.set("read:" + b);
                } catch (Exception e) {
                    read.set(e.toString());
                }
            });
            writer.start();
            reader.start();
            Probe.sleep(200); // both blocked now: the writer on a full buffer, the reader on nothing to read
            InputStream in = peer.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long drained = 0;
            while (drained < total) {
                int n = in.read(buf);
                if (n < 0) break;
                drained += n;
            }
            writer.join(10_000);
            long answeredAt = System.nanoTime();
            peer.getOutputStream().write(9);
            reader.join(10_000);
            // the reader's byte, too, would arrive late after a lost wake-up (at its timeout)
            boolean prompt = readAt[0] - answeredAt < 2_000_000_000L;
            return "written=" + written.get() + ",drained=" + drained + "," + read.get() + (prompt ? ",prompt" : ",late");
        }
    }
}
