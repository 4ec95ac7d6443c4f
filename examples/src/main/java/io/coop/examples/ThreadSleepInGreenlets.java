package io.coop.examples;

import io.coop.Coop;
import java.util.List;

/**
 * Seed: "time.sleep needs the monkey patch": the same eat/play program written with the JDK's
 * own {@link Thread#sleep}. In gevent, {@code time.sleep} blocks the whole thread unless patched.
 * In coop every greenlet is a (virtual) thread whose scheduler is the hub, so {@code Thread.sleep}
 * inside a greenlet already parks only that greenlet: the two still overlap, on one OS thread.
 * (Under {@code -javaagent:coop.jar} the sleep's timer is the hub's own as well.) Each greenlet's
 * thread name shows what it is, as {@code threading.current_thread().getName()} showed
 * {@code DummyThread-n} in the seed.
 */
public final class ThreadSleepInGreenlets {

    static void eat() throws InterruptedException {
        System.out.println("eat food 1 (" + Thread.currentThread().getName() + ")");
        Thread.sleep(2000);
        System.out.println("eat food 2");
    }

    static void play() throws InterruptedException {
        System.out.println("play 1 (" + Thread.currentThread().getName() + ")");
        Thread.sleep(1000);
        System.out.println("play 2");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Coop.joinAll(List.of(
                    Coop.spawn(() -> { eat(); return null; }).setName("eat"),
                    Coop.spawn(() -> { play(); return null; }).setName("play")));
            System.out.println("main");
            return null;
        });
    }
}
