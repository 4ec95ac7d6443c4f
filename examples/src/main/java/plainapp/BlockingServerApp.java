package plainapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary blocking Java program that knows nothing of coop: a thread-per-connection server
 * on a fixed thread pool whose handler sleeps 200 ms, and 100 client threads that each send one
 * line and read the answer. It prints how long that took and how many OS threads ran its code
 * (from /proc/thread-self). The demo runs it twice: as it is, then under -javaagent:coop.jar.
 * Outside io.coop on purpose: it is application code.
 *
 * <pre>{@code
 * java -cp examples/target/classes plainapp.BlockingServerApp
 * java -javaagent:agent/target/coop.jar -cp examples/target/classes plainapp.BlockingServerApp
 * }</pre>
 */
public final class BlockingServerApp {
    private static final Set<String> OS_THREADS = ConcurrentHashMap.newKeySet();

    private BlockingServerApp() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        noteOsThread();
        ExecutorService workers = Executors.newFixedThreadPool(clients);
        try (ServerSocket server = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                noteOsThread();
                try {
                    while (true) {
                        Socket s = server.accept();
                        workers.execute(() -> answer(s));
                    }
                } catch (IOException closed) {
                    // the server closed: done
                }
            }, "acceptor");
            acceptor.start();

            AtomicInteger ok = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                String line = "hello " + i;
                Thread t = new Thread(() -> {
                    noteOsThread();
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                         PrintWriter out = new PrintWriter(s.getOutputStream(), true);
                         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()))) {
                        out.println(line);
                        if (("echo " + line).equals(in.readLine())) ok.incrementAndGet();
                    } catch (IOException e) {
                        System.out.println("client failed: " + e);
                    }
                }, "client-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("  %d of %d clients answered (each answer waits 200 ms in Thread.sleep) in %d ms%n", ok.get(), clients, ms);
            System.out.printf("  %d client threads, %d pool threads, the acceptor and main ran on %d OS thread(s)%n",
                    clients, clients, OS_THREADS.size());
        }
        workers.shutdown();
    }

    static void answer(Socket s) {
        noteOsThread();
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
             PrintWriter out = new PrintWriter(s.getOutputStream(), true)) {
            String line = in.readLine();
            Thread.sleep(200);
            out.println("echo " + line);
        } catch (IOException | InterruptedException e) {
            System.out.println("handler failed: " + e);
        }
    }

    static void noteOsThread() {
        try {
            OS_THREADS.add(Files.readSymbolicLink(Path.of("/proc/thread-self")).toString());
        } catch (IOException e) {
            OS_THREADS.add(Thread.currentThread().getName());
        }
    }
}
