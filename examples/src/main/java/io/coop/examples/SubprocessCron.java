package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.process.Subprocess;
import java.time.Duration;

/**
 * Tutorial: "Subprocess": a cron greenlet keeps printing while the main greenlet waits for a
 * child process and its output.
 */
public final class SubprocessCron {

    static void cron() {
        while (true) {
            System.out.println("cron");
            Coop.sleep(Duration.ofMillis(200));
        }
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Greenlet<?> g = Coop.spawn(SubprocessCron::cron);
            Subprocess sub = Subprocess.start("sh", "-c", "sleep 1; uname");
            Subprocess.Result out = sub.communicate();
            g.kill();
            System.out.println(out.stdoutText().strip());
            return null;
        });
    }
}
