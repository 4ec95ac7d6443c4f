package apps;

import com.sun.net.httpserver.HttpServer;
import io.coop.testsupport.Probe;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Ordinary code whose threads are started by the JDK rather than by the application, to see
 * where they run: (a) tasks that sleep {@code sleepMs} on a {@code new ForkJoinPool(4)}, on the
 * common pool through a parallel stream and through {@code CompletableFuture.supplyAsync}; (b)
 * the JDK's {@code com.sun.net.httpserver.HttpServer} with the application's own
 * {@code ThreadPoolExecutor} of N threads as its executor (the pool's threads are created
 * lazily, by the server's dispatcher thread), answering N requests sent at the same moment by N
 * client threads, each handler waiting {@code sleepMs}. For each it reports how long it took, on
 * how many OS threads the tasks (handlers) ran, how many of them started on main's OS thread, and how
 * many in virtual threads.
 *
 * <p>Args: n sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.ThreadRuleApp 50 200
 * }</pre>
 */
public final class ThreadRuleApp {
    private static final int TASKS = 8;

    /** Where the tasks of one kind ran. */
    static final class Where {
        final Set<String> osThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger onMain = new AtomicInteger();
        final AtomicInteger virtual = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final String main;

        Where(String main) {
            this.main = main;
        }

        /** At a task's start: counts it (on main's OS thread? in a virtual thread?) and notes its OS thread. */
        void started() {
            String self = Probe.threadSelf();
            osThreads.add(self);
            if (self.equals(main)) onMain.incrementAndGet();
            if (Thread.currentThread().isVirtual()) virtual.incrementAndGet();
        }

        /** Later in a task: notes its OS thread. */
        void again() {
            osThreads.add(Probe.threadSelf());
        }

        int task(long sleepMs) {
            started();
            Probe.sleep(sleepMs);
            again();
            return done.incrementAndGet();
        }

        String fields(String kind, long ms) {
            return kind + "Ms=" + ms + " " + kind + "Done=" + done.get() + " " + kind + "OsThreads=" + osThreads.size()
                    + " " + kind + "OnMainOsThread=" + onMain.get() + " " + kind + "Virtual=" + virtual.get();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long sleepMs = Long.parseLong(args[1]);
        Probe.start();
        String main = Probe.threadSelf();
        StringBuilder result = new StringBuilder();

        // (a) fork/join: a pool of the application's own, then the common pool two ways
        Where own = new Where(main);
        ForkJoinPool pool = new ForkJoinPool(4);
        long t0 = System.nanoTime();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) futures.add(pool.submit(() -> own.task(sleepMs)));
        for (Future<Integer> f : futures) f.get(30, TimeUnit.SECONDS);
        result.append(own.fields("forkJoinPool4", (System.nanoTime() - t0) / 1_000_000));
        pool.shutdown();

        Where stream = new Where(main);
        t0 = System.nanoTime();
        IntStream.range(0, TASKS).parallel().forEach(i -> stream.task(sleepMs));
        result.append(' ').append(stream.fields("parallelStream", (System.nanoTime() - t0) / 1_000_000));

        Where async = new Where(main);
        t0 = System.nanoTime();
        List<CompletableFuture<Integer>> cfs = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) cfs.add(CompletableFuture.supplyAsync(() -> async.task(sleepMs)));
        CompletableFuture.allOf(cfs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        result.append(' ').append(async.fields("supplyAsync", (System.nanoTime() - t0) / 1_000_000));
        result.append(" commonPoolParallelism=").append(ForkJoinPool.getCommonPoolParallelism());

        // (b) the JDK's HTTP server on the application's own thread pool
        Where handlers = new Where(main);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            handlers.started();
            String query = exchange.getRequestURI().getQuery(); // i=N
            Probe.sleep(sleepMs);
            handlers.again();
            byte[] body = ("slow " + query.substring(2)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Threads.Failures failures = new Threads.Failures();
        Load.Burst burst = Load.burst(n, i -> URI.create(base + "/slow?i=" + i), sleepMs / 2, failures);
        int poolThreads = executor.getLargestPoolSize();
        server.stop(0);
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        result.append(' ').append(burst.fields()).append(" poolThreadsCreated=").append(poolThreads)
                .append(" handlerOsThreads=").append(handlers.osThreads.size())
                .append(" handlerOnMainOsThread=").append(handlers.onMain.get())
                .append(" handlerVirtual=").append(handlers.virtual.get())
                // main, the client threads and the burst's sampling thread
                .append(" clientOsThreads=").append(Probe.osThreads())
                .append(" failures=").append(failures.count());
        Probe.result(result.toString());
    }
}
