package io.coop.examples;

import io.coop.Coop;
import io.coop.pool.Pool;
import java.util.List;

/**
 * Tutorial: "Groups and pools": a {@link Pool} holds at most a fixed number of greenlets, here
 * 2; the third item waits for a free slot.
 */
public final class PoolSize {

    static Pool pool;

    static Void helloFrom(int n) {
        System.out.println("Size of pool " + pool.size());
        return null;
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            pool = new Pool(2);
            pool.map(PoolSize::helloFrom, List.of(0, 1, 2));
            return null;
        });
    }
}
