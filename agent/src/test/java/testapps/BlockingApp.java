package testapps;

import io.coop.testsupport.Probe;

/** One thread computes for 800 ms without yielding while another sleeps: coop's monitor reports the first, and the end of its hold. */
public class BlockingApp {
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread sleeper = new Thread(() -> Probe.sleep(50), "sleeper");
        Thread cruncher = new Thread(() -> spin(800), "cruncher");
        sleeper.start();
        cruncher.start();
        sleeper.join();
        cruncher.join();
        Probe.sleep(200); // the monitor sees the hold end
        Probe.result("done=true");
    }

    static void spin(long ms) {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) sink++;
    }
}
