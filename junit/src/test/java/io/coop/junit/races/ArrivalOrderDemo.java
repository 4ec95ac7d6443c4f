package io.coop.junit.races;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.junit.CoopTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Five clients, started in order, each say hello; the test assumes the first to arrive is
 * client 0. First in first out it is; another order of the connects and the handlers makes it
 * someone else.
 */
public class ArrivalOrderDemo {
    public static String firstToArrive() throws Exception {
        try (PriceServer server = new PriceServer()) {
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                clients.add(new Thread(() -> LostUpdateDemo.run(() -> PriceCache.ask(server.port(), "hello " + n)), "client-" + n));
            }
            for (Thread c : clients) c.start();
            for (Thread c : clients) c.join();
            return server.arrivals.get(0);
        }
    }

    @CoopTest
    void firstInFirstOut() throws Exception {
        assertEquals("hello 0", firstToArrive());
    }

    @CoopTest(seeds = 100)
    void seeded() throws Exception {
        assertEquals("hello 0", firstToArrive());
    }
}
