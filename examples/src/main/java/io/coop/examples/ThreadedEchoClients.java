package io.coop.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seed: "many concurrent clients with threads": 500 {@link Thread}s, each with its own socket,
 * saying hello to {@link ThreadedEchoServer}. Plain Java, no coop API: under
 * {@code -javaagent:coop.jar} every {@code Thread.start()} becomes a greenlet and every socket
 * wait a hub wait, so the 500 "threads" share one OS thread; the last line says how many OS
 * threads ran them. The seed's clients talk forever; these send {@code messages} each.
 * Arguments: port (8080), clients (500), messages per client (3).
 */
public final class ThreadedEchoClients {

    /** The kernel's id of the OS thread running the caller. */
    static String osThread() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    static final Set<String> osThreads = ConcurrentHashMap.newKeySet();

    static void client(String serverIp, int port, int messages) {
        // the socket belongs to this thread: one connection per client
        try (Socket c = new Socket(serverIp, port)) {
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            byte[] buf = new byte[1024];
            int count = 0;
            while (count < messages) {
                String name = Thread.currentThread().getName();
                out.write(String.format("%s say hello %s", name, count).getBytes(StandardCharsets.UTF_8));
                int n = in.read(buf);
                System.out.println(new String(buf, 0, n, StandardCharsets.UTF_8));
                osThreads.add(osThread());
                count += 1;
            }
        } catch (IOException e) {
            System.out.println(e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> client("127.0.0.1", port, messages));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        System.out.println(clients + " clients done; OS threads that ran them: " + osThreads.size());
    }
}
