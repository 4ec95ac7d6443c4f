package io.coop.examples;

import io.coop.Coop;
import java.util.List;

/**
 * Tutorial: "Synchronous and asynchronous execution": two contexts yield to each other with
 * {@code Coop.sleep(0)}.
 */
public final class ExplicitSwitch {

    static void foo() {
        System.out.println("Running in foo");
        Coop.sleep(0);
        System.out.println("Explicit context switch to foo again");
    }

    static void bar() {
        System.out.println("Explicit context to bar");
        Coop.sleep(0);
        System.out.println("Implicit context switch back to bar");
    }

    public static void main(String[] args) {
        Coop.run(() -> Coop.joinAll(List.of(
                Coop.spawn(ExplicitSwitch::foo),
                Coop.spawn(ExplicitSwitch::bar))));
    }
}
