package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.net.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The README demo: the gevent tutorial's "10 tasks that sleep 0.5 s, synchronous vs
 * asynchronous", then an echo server and 100 clients, all greenlets on one OS thread.
 */
public final class Demo {
    private static final Set<String> OS_THREADS = new TreeSet<>();

    public static void main(String[] args) {
        Coop.run(() -> {
            sleepingTasks();
            echoServer(100);
            return null;
        });
    }

    /** The kernel's name for the calling OS thread: pid/task/tid. */
    static String osThread() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        } catch (IOException e) {
            return Thread.currentThread().toString();
        }
    }

    static void task(int pid) {
        Coop.sleep(500);
        OS_THREADS.add(osThread());
        System.out.print(" " + pid);
    }

    static void sleepingTasks() {
        System.out.println("== 10 tasks that each sleep 0.5 s ==");
        long t0 = System.nanoTime();
        System.out.print("Synchronous: ");
        for (int i = 1; i <= 10; i++) task(i);
        System.out.printf("%n  took %.2f s%n", (System.nanoTime() - t0) / 1e9);

        t0 = System.nanoTime();
        System.out.print("Asynchronous:");
        List<Greenlet<?>> tasks = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int pid = i;
            tasks.add(Coop.spawn(() -> task(pid)));
        }
        Coop.joinAll(tasks);
        System.out.printf("%n  took %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static void echoServer(int clients) throws IOException {
        System.out.println("== echo server and " + clients + " clients, one OS thread ==");
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.configureBlocking(false);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        Greenlet<?> acceptor = Coop.spawn(() -> acceptLoop(server));

        long t0 = System.nanoTime();
        List<Greenlet<String>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String message = "hello from client " + i;
            calls.add(Coop.spawn(() -> echoOnce(address, message)));
        }
        Coop.joinAll(calls);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int ok = 0;
        for (int i = 0; i < clients; i++) if (("hello from client " + i).equals(calls.get(i).value())) ok++;
        System.out.printf("  %d of %d clients got their message back in %d ms%n", ok, clients, ms);
        acceptor.kill();
        server.close();
        System.out.println("== OS thread(s) that ran every greenlet: " + OS_THREADS + " ==");
    }

    static void acceptLoop(ServerSocketChannel server) {
        OS_THREADS.add(osThread());
        try {
            while (true) {
                SocketChannel c = server.accept();
                if (c == null) {
                    Sockets.waitRead(server, null);
                    continue;
                }
                c.configureBlocking(false);
                Coop.spawn(() -> echo(c));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void echo(SocketChannel c) {
        OS_THREADS.add(osThread());
        ByteBuffer buf = ByteBuffer.allocate(1024);
        try (c) {
            while (true) {
                int n = c.read(buf);
                if (n < 0) return;
                if (n == 0) {
                    Sockets.waitRead(c, null);
                    continue;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    if (c.write(buf) == 0) Sockets.waitWrite(c, null);
                }
                buf.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String echoOnce(InetSocketAddress address, String message) throws IOException {
        OS_THREADS.add(osThread());
        try (SocketChannel c = SocketChannel.open()) {
            c.configureBlocking(false);
            if (!c.connect(address)) {
                do Sockets.waitWrite(c, null); while (!c.finishConnect());
            }
            ByteBuffer out = ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) if (c.write(out) == 0) Sockets.waitWrite(c, null);
            ByteBuffer in = ByteBuffer.allocate(1024);
            while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                if (c.read(in) < 0) break;
                if (in.position() == 0 || in.get(in.position() - 1) != '\n') Sockets.waitRead(c, null);
            }
            return new String(in.array(), 0, Math.max(0, in.position() - 1), StandardCharsets.UTF_8);
        }
    }
}
