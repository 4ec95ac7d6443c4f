package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.util.List;

/**
 * Seed: "simple switching slows a program down": two CPU-bound loops run one after the other,
 * then interleaved by switching after every step. Switching only pays when the other side has
 * I/O to wait for; for pure computation it is overhead. (The seed looped 100 million times and
 * took 11 s plain, 53 s switching; the count is the first argument here, 1 million by default.)
 */
public final class SwitchCost {

    static long n = 1_000_000;

    static long f1(boolean switching) {
        long res = 1;
        for (long i = 0; i < n; i++) {
            res += i;
            if (switching) Coop.sleep(0);   // let the other loop take a step
        }
        return res;
    }

    static long f2(boolean switching) {
        long res = 1;
        for (long i = 0; i < n; i++) {
            res *= i | 1;
            if (switching) Coop.sleep(0);
        }
        return res;
    }

    public static void main(String[] args) {
        if (args.length > 0) n = Long.parseLong(args[0]);
        Coop.run(() -> {
            long start = System.nanoTime();
            f1(false);
            f2(false);
            long stop = System.nanoTime();
            System.out.printf("sequential: run time is %.3f s%n", (stop - start) / 1e9);

            start = System.nanoTime();
            Greenlet<Long> g1 = Coop.spawn(() -> f1(true));
            Greenlet<Long> g2 = Coop.spawn(() -> f2(true));
            Coop.joinAll(List.of(g1, g2));
            stop = System.nanoTime();
            System.out.printf("switching:  run time is %.3f s (%d switches)%n", (stop - start) / 1e9, 2 * n);
            return null;
        });
    }
}
