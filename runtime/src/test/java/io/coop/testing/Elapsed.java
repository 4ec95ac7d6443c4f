package io.coop.testing;

/** Milliseconds since construction, for timing assertions. */
public final class Elapsed {
    private final long start = System.nanoTime();

    public long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
