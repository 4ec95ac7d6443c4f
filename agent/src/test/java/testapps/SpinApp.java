package testapps;

import io.coop.testsupport.Probe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Threads that never block while waiting for another thread: a spin on a volatile flag with
 * Thread.onSpinWait(), Thread.yield() or nothing at all, an accept loop on a closed socket
 * (every accept fails at once), and an NIO loop whose selector always has a key ready.
 * A "stepper" thread must take 300 steps of Thread.sleep(1) before it releases them; on one OS
 * thread that only ends if the spinners give it turns.
 */
public class SpinApp {
    static volatile boolean released;
    static volatile int steps;

    public static void main(String[] args) throws Exception {
        Probe.start();
        String kind = args[0];
        Thread stepper = new Thread(() -> {
            Probe.mark();
            for (int i = 0; i < 300; i++) {
                Probe.sleep(1);
                steps++;
            }
            released = true;
        }, "stepper");
        long[] spins = new long[1];
        Thread spinner = new Thread(() -> {
            Probe.mark();
            try {
                switch (kind) {
                    case "onSpinWait" -> {
                        while (!released) {
                            Thread.onSpinWait();
                            spins[0]++;
                        }
                    }
                    case "yield" -> {
                        while (!released) {
                            Thread.yield();
                            spins[0]++;
                        }
                    }
                    case "busySelect" -> spins[0] = busySelect();
                    case "plainSpin" -> {
                        while (!released) spins[0]++;
                    }
                    case "closedAccept" -> spins[0] = closedAccept();
                    default -> throw new IllegalArgumentException(kind);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            Probe.mark();
        }, "spinner");
        spinner.start();
        stepper.start();
        spinner.join();
        stepper.join();
        Probe.result("steps=" + steps + " spins=" + spins[0]);
    }

    /** Retries accept on a closed server socket, as a careless accept loop does: each call fails at once. */
    static long closedAccept() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.close();
        long failures = 0;
        while (!released) {
            try {
                server.accept().close();
            } catch (IOException e) {
                failures++;
            }
        }
        return failures;
    }

    /** Selects on a connected channel with OP_WRITE set: every select returns at once. */
    static long busySelect() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept();
             Selector selector = Selector.open()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_WRITE);
            long selects = 0;
            while (!released) {
                selects++;
                int n = selects % 2 == 0 ? selector.select() : selector.selectNow();
                if (n > 0) selector.selectedKeys().clear();
            }
            return selects;
        }
    }
}
