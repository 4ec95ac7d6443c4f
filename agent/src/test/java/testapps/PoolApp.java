package testapps;

import io.coop.testsupport.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A fixed pool of 8 threads runs 80 tasks that each sleep 100 ms: 10 rounds, about 1 s. */
public class PoolApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                Probe.mark();
                Thread.sleep(100);
                return n * n;
            }));
        }
        long sum = 0;
        for (Future<Integer> f : results) sum += f.get();
        pool.shutdown();
        boolean terminated = pool.awaitTermination(10, TimeUnit.SECONDS);
        Probe.result("sum=" + sum + " terminated=" + terminated);
    }
}
