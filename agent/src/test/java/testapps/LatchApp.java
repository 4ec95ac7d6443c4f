package testapps;

import io.coop.testsupport.Probe;
import java.util.concurrent.CountDownLatch;

/** 50 threads sleep 100..500 ms then count down; main awaits the latch. */
public class LatchApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        int n = 50;
        CountDownLatch latch = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            long ms = 100 + (i * 400L) / (n - 1);
            new Thread(() -> {
                Probe.mark();
                Probe.sleep(ms);
                latch.countDown();
            }).start();
        }
        boolean ok = latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        Probe.result("awaited=" + ok + " count=" + latch.getCount());
    }
}
