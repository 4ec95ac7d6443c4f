package io.coop.junit.races;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.junit.CoopTest;

/**
 * Two threads ask the cache for the same price. The second first pings the server, so first in
 * first out its lookup comes after the first thread's fetch is stored; a seed that answers the
 * ping first (or runs the second thread's check before the first's store) makes both fetch.
 */
public class CheckThenActDemo {
    public static int fetchesForOneItem() throws Exception {
        try (PriceServer server = new PriceServer()) {
            PriceCache cache = new PriceCache(server.port());
            Thread first = new Thread(() -> LostUpdateDemo.run(() -> cache.price("apple")), "buyer-1");
            Thread second = new Thread(() -> LostUpdateDemo.run(() -> {
                PriceCache.ask(server.port(), "ping");
                cache.price("apple");
            }), "buyer-2");
            first.start();
            second.start();
            first.join();
            second.join();
            return cache.fetches();
        }
    }

    @CoopTest
    void firstInFirstOut() throws Exception {
        assertEquals(1, fetchesForOneItem());
    }

    @CoopTest(seeds = 100)
    void seeded() throws Exception {
        assertEquals(1, fetchesForOneItem());
    }
}
