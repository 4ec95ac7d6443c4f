package testapps;

import io.coop.testsupport.Probe;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** 50 threads in Selector.select(300) at once, and one select() ended by wakeup() from another thread. */
public class SelectApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        AtomicInteger zeros = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Thread t = new Thread(() -> {
                Probe.mark();
                try (Selector sel = Selector.open()) {
                    if (sel.select(300) == 0) zeros.incrementAndGet();
                } catch (Exception e) {
                    System.out.println("select failed: " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        Selector shared = Selector.open();
        long[] wokenAfter = new long[1];
        java.util.concurrent.CountDownLatch selecting = new java.util.concurrent.CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            Probe.mark();
            long t0 = System.nanoTime();
            selecting.countDown();
            try {
                shared.select();
            } catch (Exception e) {
                System.out.println("select failed: " + e);
            }
            wokenAfter[0] = (System.nanoTime() - t0) / 1_000_000;
        });
        waiter.start();
        selecting.await();
        Thread.sleep(100);
        shared.wakeup();
        waiter.join();
        for (Thread t : threads) t.join();
        shared.close();
        Probe.result("timedOut=" + zeros.get() + " wakeupEnded=" + (wokenAfter[0] >= 50 && wokenAfter[0] < 2000) + " wokenAfterMs=" + wokenAfter[0]);
    }
}
