package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.time.Duration;
import java.util.List;

/**
 * Tutorial: "Spawning greenlets". Python passes arguments to {@code spawn}; in Java the lambda
 * captures them.
 */
public final class SpawningGreenlets {

    /** Each greenlet is given the message and n when it is made. */
    static void foo(String message, int n) {
        Coop.sleep(Duration.ofSeconds(n));
        System.out.println(message);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            // a new Greenlet running foo, started explicitly
            Greenlet<?> thread1 = new Greenlet<>(() -> { foo("Hello", 1); return null; }).start();

            // Coop.spawn creates and starts one in a single call
            Greenlet<?> thread2 = Coop.spawn(() -> foo("I live!", 2));

            // a lambda that returns a value
            int x = 2;
            Greenlet<Integer> thread3 = Coop.spawn(() -> x + 1);

            List<Greenlet<?>> threads = List.of(thread1, thread2, thread3);

            // block until all threads complete
            Coop.joinAll(threads);
            return null;
        });
    }
}
