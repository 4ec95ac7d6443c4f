package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed: three greenlets take turns through three events, 1 -> 2 -> 3 -> 1 ..., ten rounds each,
 * each working for a second in its turn. The seed's messages were Chinese ("進程一啟動" etc.);
 * they are translated here.
 *
 * <p>One change: each greenlet waits for its event <em>before</em> it works, and the first event
 * starts out set. The seed worked first and waited after; it only took turns because its
 * unpatched {@code time.sleep} blocked the whole thread. With a cooperative sleep all three would
 * work at once in the first round, and at the end two of them would wait forever (gevent raises
 * {@code LoopExit} there; so would coop). The first argument, if given, replaces the second of
 * work (the test runs it faster).
 */
public final class EventRing {

    static Duration work = Duration.ofSeconds(1);

    static void fun(String message, Event mine, Event next) {
        int i = 0;
        while (i < 10) {                      // ten rounds
            i += 1;
            mine.await();                     // until it is our turn
            mine.clear();
            Coop.sleep(work);                 // work for a second
            System.out.println(message);
            next.set();                       // the next one's turn
        }
    }

    public static void main(String[] args) {
        if (args.length > 0) work = Duration.ofMillis((long) (Double.parseDouble(args[0]) * 1000));
        Coop.run(() -> {
            Event act1 = new Event();
            Event act2 = new Event();
            Event act3 = new Event();
            act1.set();                       // greenlet one goes first
            List<Greenlet<?>> greenlets = new ArrayList<>();

            Greenlet<?> g = new Greenlet<>(() -> { fun("greenlet one: 111111111", act1, act2); return null; });
            g.start();
            greenlets.add(g);
            System.out.println("greenlet one started:");
            g = new Greenlet<>(() -> { fun("greenlet two: 222222222", act2, act3); return null; });
            g.start();
            greenlets.add(g);
            System.out.println("greenlet two started:");
            g = new Greenlet<>(() -> { fun("greenlet three: 333333333", act3, act1); return null; });
            g.start();
            greenlets.add(g);
            System.out.println("greenlet three started:");
            System.out.println("all greenlets started!");

            Coop.joinAll(greenlets);
            return null;
        });
    }
}
