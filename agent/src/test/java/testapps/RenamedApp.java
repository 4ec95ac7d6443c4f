package testapps;

import io.coop.testsupport.Probe;

/** A thread created with the JDK's default name and renamed after its start computes for 600 ms: reported by its new name. */
public class RenamedApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread t = new Thread(() -> {
            Probe.sleep(100); // the rename below happens first
            BlockingApp.spin(600);
        });
        t.start();
        t.setName("Selector-31");
        t.join();
        Probe.sleep(200); // the monitor sees the hold end
        Probe.result("done=true");
    }
}
