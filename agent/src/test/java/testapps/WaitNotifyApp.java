package testapps;

import io.coop.testsupport.Probe;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** 20 consumers wait() on a monitor; a producer notifies one item every 10 ms; each consumer takes 5. */
public class WaitNotifyApp {
    private static final ArrayDeque<Integer> ITEMS = new ArrayDeque<>();

    public static void main(String[] args) throws Exception {
        Probe.start();
        int consumers = 20, each = 5;
        long[] sums = new long[consumers];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                Probe.mark();
                for (int k = 0; k < each; k++) {
                    int item;
                    synchronized (ITEMS) {
                        while (ITEMS.isEmpty()) {
                            try {
                                ITEMS.wait();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        item = ITEMS.poll();
                    }
                    sums[id] += item;
                }
            });
            t.start();
            threads.add(t);
        }
        Thread producer = new Thread(() -> {
            Probe.mark();
            for (int i = 1; i <= consumers * each; i++) {
                synchronized (ITEMS) {
                    ITEMS.add(i);
                    ITEMS.notify();
                }
                if (i % 10 == 0) Probe.sleep(10);
            }
        });
        producer.start();
        for (Thread t : threads) t.join();
        producer.join();
        long total = 0;
        for (long s : sums) total += s;
        Probe.result("total=" + total);
    }
}
