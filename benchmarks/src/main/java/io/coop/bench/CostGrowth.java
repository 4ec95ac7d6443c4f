package io.coop.bench;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Timeout;
import io.coop.queue.Queue;
import io.coop.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How coop's costs grow with load (figure 7): the cost of one switch while {@code n} greenlets
 * are ready (each yields with {@code Coop.sleep(0)} in turn), the cost of starting and
 * cancelling one {@link Timeout} while {@code n} other timers are pending on the hub's heap, and
 * the cost of one short {@code Coop.sleep} (a timer that fires) with {@code n} pending; the cost
 * per greenlet of killing {@code n} greenlets that wait in {@code Queue.get}, newest first (each
 * leaves the line of waiters from its end), and of waking {@code n} greenlets waiting on one
 * {@link Event} with one {@code set()} (until the last has run); and, for
 * scale, the switch measure on JDK virtual threads of the default scheduler. Each point is
 * the median of 3 rounds of a bounded number of operations. Prints CSV:
 * {@code measure,n,ns_per_op}.
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar io.coop.bench.CostGrowth 10,100,1000,10000,100000
 * }</pre>
 */
public final class CostGrowth {
    private static final long OPS = 1_000_000;
    /** Turns each task takes at least, so that its start and exit stay a small part of a switch's figure. */
    private static final long MIN_TURNS = 20;

    private CostGrowth() {
    }

    public static void main(String[] args) {
        int[] ns = java.util.Arrays.stream((args.length > 0 ? args[0] : "10,100,1000,10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        long ops = args.length > 1 ? Long.parseLong(args[1]) : OPS;
        System.out.println("measure,n,ns_per_op");
        Coop.run(() -> {
            switches(1000, ops / 4); // warm-up
            timers(1000, ops / 4);
            killWaiting(1000, ops / 4);
            eventWakes(1000, ops / 4);
            for (int n : ns) System.out.printf(Locale.ROOT, "switch,%d,%.1f%n", n, median(() -> switches(n, ops)));
            for (int n : ns) System.out.printf(Locale.ROOT, "timer,%d,%.1f%n", n, median(() -> timers(n, ops)));
            for (int n : ns) System.out.printf(Locale.ROOT, "sleep,%d,%.1f%n", n, median(() -> sleeps(n, ops)));
            for (int n : ns) System.out.printf(Locale.ROOT, "kill-waiting,%d,%.1f%n", n, median(() -> killWaiting(n, ops)));
            for (int n : ns) System.out.printf(Locale.ROOT, "event-wake,%d,%.1f%n", n, median(() -> eventWakes(n, ops)));
            return null;
        });
        // the same switch measure on the JDK's own scheduler, outside the hub, to show what the
        // substrate does with n ready virtual threads (run with -Djdk.virtualThreadScheduler.parallelism=1)
        virtualSwitches(1000, ops / 4);
        for (int n : ns) System.out.printf(Locale.ROOT, "vswitch,%d,%.1f%n", n, median(() -> virtualSwitches(n, ops)));
    }

    private static double median(java.util.function.DoubleSupplier round) {
        double[] r = new double[3];
        for (int i = 0; i < r.length; i++) r[i] = round.getAsDouble();
        java.util.Arrays.sort(r);
        return r[r.length / 2];
    }

    /** ns per switch with n ready greenlets yielding in turn, about {@code ops} switches in all. */
    static double switches(int n, long ops) {
        long each = Math.max(MIN_TURNS, ops / n);
        List<Greenlet<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(Coop.spawn(() -> {
                for (long k = 0; k < each; k++) Coop.sleep(0);
            }));
        }
        Coop.sleep(0); // let every greenlet start and reach its loop
        long t0 = System.nanoTime();
        Coop.joinAll(all);
        return (double) (System.nanoTime() - t0) / (n * (each - 1));
    }

    /** ns per switch with n ready JDK virtual threads (default scheduler) taking turns with {@code Thread.yield()}. */
    static double virtualSwitches(int n, long ops) {
        long each = Math.max(MIN_TURNS, ops / n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long k = 0; k < each; k++) Thread.yield();
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : all) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return (double) (System.nanoTime() - t0) / (n * each);
    }

    /** ns per {@code Coop.sleep(1 us)} of one greenlet (timer due, fired, greenlet resumed) while n timers are pending. */
    static double sleeps(int n, long ops) {
        List<Timeout> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) pending.add(Timeout.startNew(Duration.ofSeconds(3600 + i % 1000)));
        long m = Math.min(ops / 10, 10_000);
        Duration tiny = Duration.ofNanos(1000);
        long t0 = System.nanoTime();
        Coop.spawn(() -> {
            for (long k = 0; k < m; k++) Coop.sleep(tiny);
        }).join();
        double ns = (double) (System.nanoTime() - t0) / m;
        for (Timeout t : pending) t.close();
        return ns;
    }

    /** ns to start and cancel one {@link Timeout} while n others are pending. */
    static double timers(int n, long ops) {
        List<Timeout> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) pending.add(Timeout.startNew(Duration.ofSeconds(3600 + i % 1000)));
        long m = Math.min(ops, 200_000);
        long t0 = System.nanoTime();
        for (long k = 0; k < m; k++) {
            Timeout t = Timeout.startNew(Duration.ofSeconds(60 + (k & 1023)));
            t.close();
        }
        double ns = (double) (System.nanoTime() - t0) / m;
        for (Timeout t : pending) t.close();
        return ns;
    }

    /**
     * ns per greenlet to kill n greenlets blocked in {@code Queue.get} on one queue, newest first
     * (the last in line leaves first), until all are dead; repeated to about {@code ops / 10} kills.
     */
    static double killWaiting(int n, long ops) {
        long rounds = Math.max(1, ops / 10 / n);
        long total = 0;
        for (long r = 0; r < rounds; r++) {
            Queue<Object> q = new Queue<>();
            List<Greenlet<?>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) all.add(Coop.spawn(() -> { q.get(); }));
            Coop.sleep(0); // every greenlet now waits in q.get
            java.util.Collections.reverse(all);
            long t0 = System.nanoTime();
            Coop.killAll(all);
            total += System.nanoTime() - t0;
        }
        return (double) total / (rounds * n);
    }

    /**
     * ns per greenlet from one {@code Event.set()} with n greenlets waiting on the event until
     * the last of them has run (each counts itself and ends); repeated to about {@code ops / 10} wake-ups.
     */
    static double eventWakes(int n, long ops) {
        long rounds = Math.max(1, ops / 10 / n);
        long total = 0;
        for (long r = 0; r < rounds; r++) {
            Event go = new Event();
            Event done = new Event();
            int[] woken = {0};
            List<Greenlet<?>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(Coop.spawn(() -> {
                    go.await();
                    if (++woken[0] == n) done.set();
                }));
            }
            Coop.sleep(0); // every greenlet now waits on go
            long t0 = System.nanoTime();
            go.set();
            done.await();
            total += System.nanoTime() - t0;
            Coop.joinAll(all);
        }
        return (double) total / (rounds * n);
    }
}
