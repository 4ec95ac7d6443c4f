package testapps;

import io.coop.testsupport.Probe;
import java.util.ArrayList;
import java.util.List;

/** synchronized + sleep: 10 threads x 3 rounds hold one lock while sleeping 20 ms; never two inside. */
public class SyncApp {
    private static final Object LOCK = new Object();
    private static int inside;
    private static int maxInside;
    private static int entries;

    public static void main(String[] args) throws Exception {
        Probe.start();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> {
                Probe.mark();
                for (int r = 0; r < 3; r++) {
                    synchronized (LOCK) {
                        inside++;
                        maxInside = Math.max(maxInside, inside);
                        entries++;
                        Probe.sleep(20);
                        inside--;
                    }
                    Probe.sleep(1);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        synchronized (LOCK) {
            Probe.result("maxInside=" + maxInside + " entries=" + entries);
        }
    }
}
