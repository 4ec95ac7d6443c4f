package io.coop.examples;

import io.coop.Coop;
import io.coop.sync.AsyncResult;
import java.time.Duration;
import java.util.List;

/**
 * Tutorial: "Events", the {@link AsyncResult}: an event that carries a value (a future). The
 * waiter's {@code get()} returns once the setter has put a value in.
 */
public final class AsyncResultWaiter {

    static AsyncResult<String> a;

    /** After 3 seconds set the result of a. */
    static void setter() {
        Coop.sleep(Duration.ofSeconds(3));
        a.set("Hello!");
    }

    /** After 3 seconds the get call will return, once the setter puts a value into the AsyncResult. */
    static Void waiter() throws Exception {
        System.out.println(a.get());
        return null;
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            a = new AsyncResult<>();
            return Coop.joinAll(List.of(
                    Coop.spawn(AsyncResultWaiter::setter),
                    Coop.spawn(AsyncResultWaiter::waiter)));
        });
    }
}
