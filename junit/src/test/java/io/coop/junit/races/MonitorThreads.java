package io.coop.junit.races;

import java.util.ArrayList;
import java.util.List;

/**
 * Ordinary threads that contend for a monitor and sleep while holding it (so the others block
 * on monitor entry and are let in by the JVM when it is released), and wait/notify on it.
 * Prints the order the threads got the lock in.
 */
public final class MonitorThreads {
    private static final Object lock = new Object();
    private static int turn;

    public static void main(String[] args) throws Exception {
        List<String> order = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            threads.add(new Thread(() -> LostUpdateDemo.run(() -> {
                for (int round = 0; round < 5; round++) {
                    synchronized (lock) {
                        order.add(n + "." + round);
                        Thread.sleep(1 + (n + round) % 3);
                        turn++;
                        lock.notifyAll();
                    }
                    Thread.sleep((n * 3 + round) % 4);
                    synchronized (lock) {
                        lock.wait(1 + n % 5); // a notifyAll or the timeout, whichever comes first
                    }
                }
            }), "locker-" + n));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        System.out.println(String.join(" ", order));
    }
}
