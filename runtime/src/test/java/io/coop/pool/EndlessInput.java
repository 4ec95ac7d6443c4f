package io.coop.pool;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/** An input that never ends: 0, 1, 2, ... counted in {@code pulled}, to show a mapping reads lazily. */
final class EndlessInput {
    private EndlessInput() {
    }

    static Iterable<Integer> counting(AtomicInteger pulled) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
    }
}
