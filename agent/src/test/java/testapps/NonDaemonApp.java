package testapps;

import io.coop.testsupport.Probe;

/** main returns at once; a non-daemon thread prints 300 ms later, and the JVM waits for it; a daemon one is not waited for. */
public class NonDaemonApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread daemon = new Thread(() -> {
            Probe.sleep(5_000);
            System.out.println("DAEMON-FINISHED");
        });
        daemon.setDaemon(true);
        daemon.start();
        new Thread(() -> {
            Probe.sleep(300);
            Probe.result("late=true");
        }).start();
        System.out.println("MAIN-RETURNS");
        if (args.length > 0 && args[0].equals("fail")) throw new IllegalStateException("main failed on purpose");
    }
}
