package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Timeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tutorial: "Timeouts" on greenlet calls: a started {@link Timeout} cutting a {@code join}, the
 * {@link java.util.concurrent.Future} form {@code get(1, SECONDS)}, and {@code Coop.withTimeout}.
 */
public final class TimeoutOnCalls {

    static Void sleepTwo() {
        Coop.sleep(Duration.ofSeconds(2));
        return null;
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Timeout timer = new Timeout(Duration.ofSeconds(1)).start();
            Greenlet<Void> thread1 = Coop.spawn(TimeoutOnCalls::sleepTwo);
            try {
                thread1.join();
            } catch (Timeout e) {
                if (e != timer) throw e;
                System.out.println("Thread 1 timed out");
            }

            // --

            Greenlet<Void> thread2 = Coop.spawn(TimeoutOnCalls::sleepTwo);
            try {
                thread2.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.out.println("Thread 2 timed out");
            }

            // --

            try {
                Coop.withTimeout(Duration.ofSeconds(1), TimeoutOnCalls::sleepTwo);
            } catch (Timeout e) {
                System.out.println("Thread 3 timed out");
            }
            return null;
        });
    }
}
