package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.queue.Queue;
import java.util.List;

/**
 * Tutorial: "Actors": a greenlet subclass with an inbox, and two actors that send each other
 * ping and pong. The tutorial's pair plays forever; these stop after {@code limit} messages each
 * (the first argument, 5 by default) so the program ends.
 */
public final class Actors {

    abstract static class Actor extends Greenlet<Void> {
        final Queue<String> inbox = new Queue<>();
        boolean running;

        /** Define in your subclass. */
        abstract void receive(String message);

        @Override
        protected Void run() {
            running = true;
            while (running) {
                String message = inbox.get();
                receive(message);
            }
            return null;
        }
    }

    static int limit = 5;
    static Actor ping, pong;

    static final class Pinger extends Actor {
        int received;

        @Override
        void receive(String message) {
            System.out.println(message);
            if (++received == limit) running = false;
            pong.inbox.put("ping");
            Coop.sleep(0);
        }
    }

    static final class Ponger extends Actor {
        int received;

        @Override
        void receive(String message) {
            System.out.println(message);
            if (++received == limit) running = false;
            ping.inbox.put("pong");
            Coop.sleep(0);
        }
    }

    public static void main(String[] args) {
        if (args.length > 0) limit = Integer.parseInt(args[0]);
        Coop.run(() -> {
            ping = new Pinger();
            pong = new Ponger();

            ping.start();
            pong.start();

            ping.inbox.put("start");
            Coop.joinAll(List.of(ping, pong));
            return null;
        });
    }
}
