package io.coop.examples;

import io.coop.Coop;
import io.coop.Timeout;
import java.time.Duration;

/**
 * Tutorial: "Timeouts": a {@link Timeout} started in the main greenlet bounds everything it does
 * from then on; here the join of a greenlet that would sleep 10 s.
 */
public final class TimeoutStart {

    static void sleepTen() {
        Coop.sleep(Duration.ofSeconds(10));
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Duration seconds = Duration.ofSeconds(2);

            Timeout timeout = new Timeout(seconds);
            timeout.start();

            try {
                Coop.spawn(TimeoutStart::sleepTen).join();
            } catch (Timeout e) {
                System.out.println("Could not complete");
            } finally {
                timeout.cancel();      // a no-op once fired; needed when the join wins
            }
            return null;
        });
    }
}
