package io.coop.examples;

import io.coop.Coop;
import io.coop.Timeout;
import java.time.Duration;

/**
 * Tutorial: "Timeouts" as a context manager: Python's {@code with Timeout(...)} is Java's
 * try-with-resources (leaving the block cancels the timeout), and the second form raises an
 * exception of our own instead of the {@code Timeout}. That exception is unchecked: Java would not
 * let us catch a checked exception that the block's code cannot throw.
 */
public final class TimeoutBlock {

    static class TooLong extends RuntimeException {
        TooLong() {
            super("too long");
        }
    }

    @SuppressWarnings("try") // the timeouts are only held, never referenced
    public static void main(String[] args) {
        Coop.run(() -> {
            Duration timeToWait = Duration.ofSeconds(1);

            try (Timeout t = Timeout.startNew(timeToWait)) {
                Coop.sleep(Duration.ofSeconds(10));
            } catch (Timeout e) {
                System.out.println("Timeout: " + e.getMessage());
            }

            try (Timeout t = new Timeout(timeToWait, new TooLong()).start()) {
                Coop.sleep(Duration.ofSeconds(10));
            } catch (TooLong e) {
                System.out.println("TooLong: " + e.getMessage());
            }
            return null;
        });
    }
}
