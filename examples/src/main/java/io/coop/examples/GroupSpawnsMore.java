package io.coop.examples;

import io.coop.Coop;
import io.coop.pool.Group;

/**
 * Seed: "the gevent pool": one greenlet of the group spawns a hundred more into it, and
 * {@code join()} waits for all of them, those added while it waits included. (gevent's
 * {@code Pool()} without a size is unbounded: coop's {@link Group}.)
 */
public final class GroupSpawnsMore {

    static Group gPool;

    static void a() {
        for (int i = 0; i < 100; i++) gPool.spawn(GroupSpawnsMore::b);
    }

    static void b() {
        System.out.println("b");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            gPool = new Group();
            gPool.spawn(GroupSpawnsMore::a);
            gPool.join();
            return null;
        });
    }
}
