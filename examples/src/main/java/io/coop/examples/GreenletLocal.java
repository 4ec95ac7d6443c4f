package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.List;

/**
 * Tutorial: "Thread locals": every greenlet is a thread, so greenlet-local data is a plain
 * {@link ThreadLocal}. Each greenlet sees its own {@code Stash}.
 */
public final class GreenletLocal {

    static final class Stash {
        Integer x;
        Integer y;
    }

    static final ThreadLocal<Stash> stash = ThreadLocal.withInitial(Stash::new);

    static void f1() {
        stash.get().x = 1;
        System.out.println(stash.get().x);
    }

    static void f2() {
        stash.get().y = 2;
        System.out.println(stash.get().y);

        if (stash.get().x == null) System.out.println("x is not local to f2");
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            Greenlet<?> g1 = Coop.spawn(GreenletLocal::f1);
            Greenlet<?> g2 = Coop.spawn(GreenletLocal::f2);

            Coop.joinAll(List.of(g1, g2));
            return null;
        });
    }
}
