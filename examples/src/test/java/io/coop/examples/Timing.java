package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timing assertions with the wide tolerances a shared, noisy machine needs. */
final class Timing {
    private Timing() {
    }

    static void within(long millis, long min, long max) {
        assertTrue(millis >= min && millis <= max, millis + " ms is outside [" + min + ", " + max + "] ms");
    }
}
