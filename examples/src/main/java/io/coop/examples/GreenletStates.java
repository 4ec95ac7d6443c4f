package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.List;

/**
 * Tutorial: "Greenlet state". A failure stays inside its greenlet: {@code joinAll} does not
 * throw it (the hub reports it once on stderr, with its stack, through {@link System.Logger});
 * {@code exception()} holds it, and {@code get()} would rethrow it.
 */
public final class GreenletStates {

    static String win() {
        return "You win!";
    }

    static String fail() throws Exception {
        throw new Exception("You fail at failing.");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Greenlet<String> winner = Coop.spawn(GreenletStates::win);
            Greenlet<String> loser = Coop.spawn(GreenletStates::fail);

            System.out.println(winner.isStarted());    // true
            System.out.println(loser.isStarted());     // true

            // Exceptions raised in the greenlet stay inside the greenlet.
            try {
                Coop.joinAll(List.of(winner, loser));
            } catch (Exception e) {
                System.out.println("This will never be reached");
            }

            System.out.println(winner.value());        // You win!
            System.out.println(loser.value());         // null

            System.out.println(winner.isReady());      // true
            System.out.println(loser.isReady());       // true

            System.out.println(winner.isSuccessful()); // true
            System.out.println(loser.isSuccessful());  // false

            // The exception raised in fail(), kept by the greenlet. loser.get() would throw it,
            // wrapped in an ExecutionException (Future's rule).
            System.out.println(loser.exception());
            return null;
        });
    }
}
