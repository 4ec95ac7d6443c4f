package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.time.Duration;
import java.util.List;

/**
 * Seed: two endless loops, A every second and B every half second, interleaved on one thread.
 * The seed runs until killed; give a number of seconds as the first argument to stop after that
 * long (the loops are then killed at their sleep, as {@code Coop.run} does on return).
 */
public final class ForeverLoops {

    static void funcA() {
        while (true) {
            System.out.println("-------A-------");
            Coop.sleep(Duration.ofSeconds(1));        // a slow operation: the other greenlet runs
        }
    }

    static void funcB() {
        while (true) {
            System.out.println("-------B-------");
            Coop.sleep(Duration.ofMillis(500));
        }
    }

    public static void main(String[] args) {
        Duration runFor = args.length > 0 ? Duration.ofMillis((long) (Double.parseDouble(args[0]) * 1000)) : null;
        Coop.run(() -> {
            Greenlet<?> g1 = Coop.spawn(ForeverLoops::funcA);
            Greenlet<?> g2 = Coop.spawn(ForeverLoops::funcB);
            Coop.joinAll(List.of(g1, g2), runFor);    // null: wait forever, like g1.join(); g2.join()
            return null;                              // returning kills what is still running
        });
    }
}
