package io.coop.examples;

import io.coop.Coop;
import io.coop.net.Select;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tutorial: "Synchronous and asynchronous execution": {@code select} is normally a blocking poll
 * of file descriptors; coop's {@link Select#select} waits on the hub instead, so while two
 * greenlets poll for 2 s a third one gets work done.
 */
public final class SelectPolling {

    static long start;
    static final Supplier<String> tic = () -> String.format("at %1.1f seconds", (System.nanoTime() - start) / 1e9);

    static void gr1() {
        // Busy waits for a second, but we don't want to stick around...
        System.out.println("Started Polling: " + tic.get());
        Select.select(List.of(), List.of(), Duration.ofSeconds(2));
        System.out.println("Ended Polling: " + tic.get());
    }

    static void gr2() {
        // Busy waits for a second, but we don't want to stick around...
        System.out.println("Started Polling: " + tic.get());
        Select.select(List.of(), List.of(), Duration.ofSeconds(2));
        System.out.println("Ended Polling: " + tic.get());
    }

    static void gr3() {
        System.out.println("Hey lets do some stuff while the greenlets poll, " + tic.get());
        Coop.sleep(Duration.ofSeconds(1));
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            start = System.nanoTime();
            return Coop.joinAll(List.of(
                    Coop.spawn(SelectPolling::gr1),
                    Coop.spawn(SelectPolling::gr2),
                    Coop.spawn(SelectPolling::gr3)));
        });
    }
}
