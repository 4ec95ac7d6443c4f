package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.time.Duration;

/**
 * Seed: "switching tasks automatically on I/O" (eat and play): {@code Coop.sleep} stands for
 * I/O that coop recognizes; while {@code eat} waits 2 s, {@code play} runs.
 */
public final class EatPlay {

    static void eat(String name) {
        System.out.printf("%s eat 1%n", name);
        Coop.sleep(Duration.ofSeconds(2));
        System.out.printf("%s eat 2%n", name);
    }

    static void play(String name) {
        System.out.printf("%s play 1%n", name);
        Coop.sleep(Duration.ofSeconds(1));
        System.out.printf("%s play 2%n", name);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Greenlet<?> g1 = Coop.spawn(() -> eat("egon"));
            Greenlet<?> g2 = Coop.spawn(() -> play("egon"));
            g1.join();
            g2.join();                 // or Coop.joinAll(List.of(g1, g2))
            System.out.println("main");
            return null;
        });
    }
}
