package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.List;

/**
 * Seed: greenlet switching, "12 56 34 78". coop has no {@code switch()}: a greenlet hands over
 * the thread where it waits, and {@code Coop.sleep(0)} waits just long enough to let every other
 * ready greenlet run once (the seed's gevent version of the same program).
 */
public final class GreenletSwitch {

    static void test1() {
        System.out.println(12);
        Coop.sleep(0);
        System.out.println(34);
    }

    static void test2() {
        System.out.println(56);
        Coop.sleep(0);
        System.out.println(78);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            List<Greenlet<?>> greenlets = List.of(
                    Coop.spawn(GreenletSwitch::test1),
                    Coop.spawn(GreenletSwitch::test2));
            Coop.joinAll(greenlets);
            return null;
        });
    }
}
