package testapps;

import io.coop.testsupport.Probe;

/** One thread computes for 800 ms without yielding while another sleeps: coop's monitor reports the first. */
public class BlockingApp {
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread sleeper = new Thread(() -> Probe.sleep(50), "sleeper");
        Thread cruncher = new Thread(BlockingApp::spin, "cruncher");
        sleeper.start();
        cruncher.start();
        sleeper.join();
        cruncher.join();
        Probe.result("done=true");
    }

    static void spin() {
        long end = System.nanoTime() + 800_000_000L;
        while (System.nanoTime() < end) sink++;
    }
}
