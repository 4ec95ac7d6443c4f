package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.pool.Group;

/**
 * Tutorial: "Groups and pools": a {@link Group} is a set of running greenlets managed together;
 * {@code join()} waits for every member.
 */
public final class GroupJoin {

    static void talk(String msg) {
        for (int i = 0; i < 3; i++) System.out.println(msg);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Greenlet<?> g1 = Coop.spawn(() -> talk("bar"));
            Greenlet<?> g2 = Coop.spawn(() -> talk("foo"));
            Greenlet<?> g3 = Coop.spawn(() -> talk("fizz"));

            Group group = new Group();
            group.add(g1);
            group.add(g2);
            group.join();

            group.add(g3);
            group.join();
            return null;
        });
    }
}
