package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Seed: workers wait for a service check before they connect: each tries three times, waiting
 * up to 0.5 s on the event between tries, and gives up with a {@link TimeoutException} if the
 * checker has not set it by then. The seed used threads; here they are greenlets. As in the seed
 * the check takes 2 to 4 s, so both workers give up: their failures are reported on stderr and
 * kept in their greenlets. Give the check's seconds as the first argument to see them connect.
 */
public final class EventRetry {

    static Event event;

    static Void connMysql() throws TimeoutException {
        String me = Greenlet.current().name();
        int count = 1;
        while (!event.isSet()) {
            if (count > 3) throw new TimeoutException("connection timed out");
            System.out.printf("<%s> attempt %d to connect%n", me, count);
            event.await(Duration.ofMillis(500));
            count += 1;
        }
        System.out.printf("<%s> connected%n", me);
        return null;
    }

    static void checkMysql(Duration takes) {
        System.out.printf("[%s] checking mysql%n", Greenlet.current().name());
        Coop.sleep(takes);
        event.set();
    }

    public static void main(String[] args) {
        Duration takes = args.length > 0
                ? Duration.ofMillis((long) (Double.parseDouble(args[0]) * 1000))
                : Duration.ofSeconds(ThreadLocalRandom.current().nextInt(2, 5));
        Coop.run(() -> {
            event = new Event();
            Greenlet<Void> conn1 = Coop.spawn(EventRetry::connMysql).setName("conn1");
            Greenlet<Void> conn2 = Coop.spawn(EventRetry::connMysql).setName("conn2");
            Greenlet<?> check = Coop.spawn(() -> checkMysql(takes)).setName("check");
            Coop.joinAll(List.of(conn1, conn2, check));
            for (Greenlet<Void> conn : List.of(conn1, conn2)) {
                System.out.println(conn.name() + ": " + (conn.isSuccessful() ? "connected" : conn.exception()));
            }
            return null;
        });
    }
}
