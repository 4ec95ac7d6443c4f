package io.coop.examples;

import io.coop.Coop;
import java.time.Duration;
import java.util.List;

/**
 * Seed: "using the gevent library": three greenlets sleep 2 s, 1 s and 0.5 s; each sleep hands
 * the thread to the others, so the shortest sleeper finishes first.
 */
public final class SleepInterleaving {

    static void func1() {
        System.out.println("func1 running");
        Coop.sleep(Duration.ofSeconds(2));        // stands for real I/O
        System.out.println("switch func1");
    }

    static void func2() {
        System.out.println("func2 running");
        Coop.sleep(Duration.ofSeconds(1));
        System.out.println("switch func2");
    }

    static void func3() {
        System.out.println("func3 running");
        Coop.sleep(Duration.ofMillis(500));
        System.out.println("func3 done..");
    }

    public static void main(String[] args) {
        Coop.run(() -> Coop.joinAll(List.of(
                Coop.spawn(SleepInterleaving::func1),
                Coop.spawn(SleepInterleaving::func2),
                Coop.spawn(SleepInterleaving::func3))));
    }
}
