package testapps;

import io.coop.testsupport.Probe;

/** One call site holds the hub 4 times for 300 ms (sleeping 30 ms between), then the program waits args[0] ms before it ends. */
public class RepeatApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread t = new Thread(() -> {
            for (int i = 0; i < 4; i++) {
                BlockingApp.spin(300);
                Probe.sleep(30);
            }
        }, "repeater");
        t.start();
        t.join();
        Probe.sleep(Long.parseLong(args[0]));
        Probe.result("done=true");
    }
}
