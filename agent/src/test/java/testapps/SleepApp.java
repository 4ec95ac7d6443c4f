package testapps;

import io.coop.testsupport.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** N threads each sleep M ms (Thread.sleep, sleep(ms, ns), sleep(Duration), TimeUnit.sleep in turn). */
public class SleepApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        int n = Integer.parseInt(args[0]);
        long ms = Long.parseLong(args[1]);
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = i % 4;
            Thread t = new Thread(() -> {
                Probe.mark();
                try {
                    switch (kind) {
                        case 0 -> Thread.sleep(ms);
                        case 1 -> Thread.sleep(ms, 500);
                        case 2 -> Thread.sleep(java.time.Duration.ofMillis(ms));
                        default -> java.util.concurrent.TimeUnit.MILLISECONDS.sleep(ms);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                Probe.mark();
                done.incrementAndGet();
            }, "sleeper-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        Probe.result("done=" + done.get() + " alive=" + threads.get(0).isAlive() + " state=" + threads.get(0).getState());
    }
}
