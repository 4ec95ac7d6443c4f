package io.coop.examples;

import io.coop.Coop;
import io.coop.sync.Event;
import java.time.Duration;
import java.util.List;

/** Tutorial: "Events": one setter, five waiters; {@code set()} wakes them all. */
public final class EventWaiters {

    static Event evt;

    /** After 3 seconds, wake all greenlets waiting on evt. */
    static void setter() {
        System.out.println("A: Hey wait for me, I have to do something");
        Coop.sleep(Duration.ofSeconds(3));
        System.out.println("Ok, I'm done");
        evt.set();
    }

    /** After 3 seconds the await call will return. */
    static void waiter() {
        System.out.println("I'll wait for you");
        evt.await();  // blocking
        System.out.println("It's about time");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            evt = new Event();
            return Coop.joinAll(List.of(
                    Coop.spawn(EventWaiters::setter),
                    Coop.spawn(EventWaiters::waiter),
                    Coop.spawn(EventWaiters::waiter),
                    Coop.spawn(EventWaiters::waiter),
                    Coop.spawn(EventWaiters::waiter),
                    Coop.spawn(EventWaiters::waiter)));
        });
    }
}
