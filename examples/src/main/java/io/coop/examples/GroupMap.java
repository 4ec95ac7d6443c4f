package io.coop.examples;

import io.coop.Coop;
import io.coop.pool.Group;
import java.time.Duration;
import java.util.List;

/**
 * Tutorial: "Groups and pools": {@code map} runs a function over an input, one greenlet per
 * item; {@code imap} yields the results in input order, {@code imapUnordered} as they finish.
 */
public final class GroupMap {

    static Group group;

    static Void helloFrom(int n) {
        System.out.println("Size of group " + group.size());
        System.out.println("Hello from Greenlet " + Coop.current().name());
        return null;
    }

    static List<Object> intensive(int n) {
        Coop.sleep(Duration.ofSeconds(3 - n));
        return List.of("task", n);
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            group = new Group();
            group.map(GroupMap::helloFrom, List.of(0, 1, 2));

            System.out.println("Ordered");

            Group ogroup = new Group();
            for (List<Object> i : ogroup.imap(GroupMap::intensive, List.of(0, 1, 2))) System.out.println(i);

            System.out.println("Unordered");

            Group igroup = new Group();
            for (List<Object> i : igroup.imapUnordered(GroupMap::intensive, List.of(0, 1, 2))) System.out.println(i);
            return null;
        });
    }
}
