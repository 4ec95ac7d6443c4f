package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tutorial: "Program shutdown". A greenlet that would sleep for 1000 s; on SIGTERM (or Ctrl-C,
 * SIGINT) the JVM runs its shutdown hooks, and ours asks the hub to kill the greenlet, then waits
 * until the hub has wound down. Shutdown hooks are plain threads: they hand work to the hub with
 * {@link Hub#post}, the one coop call meant for other threads. (SIGQUIT belongs to the JVM,
 * which answers it with a thread dump; {@code Coop.hub().dump()} is the greenlet-level one.)
 */
public final class ShutdownOnSignal {

    static void runForever() {
        Coop.sleep(Duration.ofSeconds(1000));
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            Coop.run(() -> {
                Hub hub = Coop.hub();
                Greenlet<?> thread = Coop.spawn(ShutdownOnSignal::runForever).setName("run_forever");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println("signal: stopping the hub");
                    hub.post(() -> thread.kill(new GreenletExit("shutdown"), false, null));
                    try {
                        stopped.await(5, TimeUnit.SECONDS);        // let the hub finish cleanly
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                System.out.println("running as pid " + ProcessHandle.current().pid() + "; stop with kill -TERM or Ctrl-C");
                thread.join();
                System.out.println(thread.name() + " ended: " + thread.value());
                return null;
            });
            System.out.println("hub stopped cleanly");
        } finally {
            stopped.countDown();
        }
    }
}
