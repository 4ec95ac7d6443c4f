package io.coop.examples;

import io.coop.Coop;
import io.coop.queue.Channel;

/**
 * Seed: "using yield to implement coroutines" (the baozi producer and its two consumers).
 * Python's generator {@code send} becomes a {@link Channel}: a {@code put} returns only once a
 * consumer has taken the item and run up to its next {@code get}, exactly as {@code con.send(n)}
 * returns once the generator is back at its {@code yield}.
 *
 * <pre>{@code
 * --->starting eating baozi...
 * --->starting eating baozi...
 * [c1] is eating baozi 1
 * [c2] is eating baozi 1
 * [producer] is making baozi 1
 * ...
 * }</pre>
 */
public final class YieldProducerConsumer {

    static Channel<Integer> consumer(String name) {
        Channel<Integer> baozi = new Channel<>();
        Coop.spawn(() -> {
            System.out.println("--->starting eating baozi...");
            while (true) {
                int newBaozi = baozi.get();                  // new_baozi = yield
                System.out.printf("[%s] is eating baozi %s%n", name, newBaozi);
            }
        });
        return baozi;
    }

    static void producer(Channel<Integer> con, Channel<Integer> con2) {
        Coop.sleep(0);                                       // next(con); next(con2)
        int n = 0;
        while (n < 5) {
            n += 1;
            con.put(n);                                      // con.send(n)
            con2.put(n);                                     // con2.send(n)
            System.out.printf("[producer] is making baozi %s%n", n);
        }
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Channel<Integer> con = consumer("c1");
            Channel<Integer> con2 = consumer("c2");
            producer(con, con2);
            return null;                                     // Coop.run kills the consumers
        });
    }
}
