package io.coop.junit.races;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary program of 40 threads: each waits for a start latch, then four times sleeps a
 * few milliseconds (different lengths), hands a socket round trip to a fixed pool of 4 and waits
 * for its answer. Prints the order the round trips completed in, as one line.
 *
 * <pre>{@code
 * java -javaagent:coop.jar -Dcoop.seed=5 -Dcoop.trace=run.trace -cp ... io.coop.junit.races.FortyThreads
 * }</pre>
 */
public final class FortyThreads {
    public static void main(String[] args) throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        try (PriceServer server = new PriceServer()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(40);
            for (int i = 0; i < 40; i++) {
                int n = i;
                new Thread(() -> LostUpdateDemo.run(() -> {
                    start.await();
                    for (int round = 0; round < 4; round++) {
                        Thread.sleep(1 + (n * 5 + round * 3) % 9);
                        String item = n + "." + round;
                        Future<String> answer = pool.submit(() -> PriceCache.ask(server.port(), "price " + item));
                        answer.get(10, TimeUnit.SECONDS);
                        done.add(item);
                    }
                    finished.countDown();
                }), "worker-" + n).start();
            }
            Thread.sleep(5);
            start.countDown();
            if (!finished.await(1, TimeUnit.MINUTES)) throw new IllegalStateException("the workers did not finish");
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) throw new IllegalStateException("the pool did not stop");
        }
        System.out.println(String.join(" ", done));
    }
}
