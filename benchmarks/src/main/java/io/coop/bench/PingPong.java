package io.coop.bench;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Waiter;
import io.coop.queue.Channel;
import io.coop.sync.Event;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One-way switch cost of a ping-pong between two parties: each invocation makes two fresh
 * parties that hand a counter back and forth {@link #ROUNDS} times, and the score is the time
 * per one-way hand-off (round trip / 2). Setting up the two parties is amortised over
 * {@code 2 * ROUNDS} hand-offs (well under 1% of the score).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PingPong   # or benchmarks/run.sh
 * }</pre>
 *
 * <p>The coop variants run on the JMH worker thread, which becomes the hub: its main greenlet
 * spawns both greenlets and drives the hub loop while it joins them, so every hand-off is
 * a real greenlet switch through {@code Hub.runOnce}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {Flags.OPENS, Flags.EXPORTS_VM, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class PingPong {
    /** Round trips per invocation. */
    public static final int ROUNDS = 5_000;
    /** One-way hand-offs per invocation. */
    public static final int OPS = 2 * ROUNDS;

    // ------------------------------------------------------------ coop

    /**
     * Two greenlets on one hub through two {@link Channel}s (rendezvous): the measure.
     * A put waits until its getter has the item, so a round trip takes more switches than with bare waiters.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int coopChannel() {
        Channel<Integer> there = new Channel<>();
        Channel<Integer> back = new Channel<>();
        Greenlet<?> pong = Coop.spawn(() -> {
            for (int i = 0; i < ROUNDS; i++) back.put(there.get() + 1);
        });
        Greenlet<Integer> ping = Coop.spawn(() -> {
            int v = 0;
            for (int i = 0; i < ROUNDS; i++) {
                there.put(v);
                v = back.get() + 1;
            }
            return v;
        });
        ping.join();
        pong.join();
        if (ping.value() != OPS) throw new AssertionError("lost hand-offs: " + ping.value());
        return ping.value();
    }

    /**
     * Two greenlets on one hub taking turns through two {@link Event}s (set, then wait for the
     * other's): gevent's other ping-pong idiom. A set wakes its waiter through a hub callback.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int coopEvent() {
        Event toPong = new Event();
        Event toPing = new Event();
        int[] hops = {0};
        Greenlet<?> pong = Coop.spawn(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                toPong.await();
                toPong.clear();
                hops[0]++;
                toPing.set();
            }
        });
        Greenlet<?> ping = Coop.spawn(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                hops[0]++;
                toPong.set();
                toPing.await();
                toPing.clear();
            }
        });
        ping.join();
        pong.join();
        if (hops[0] != OPS) throw new AssertionError("lost hand-offs: " + hops[0]);
        return hops[0];
    }

    /** Two greenlets on one hub handing over through {@link Waiter}s (coop's blocking primitive). */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int coopWaiter() {
        return new WaiterGame(ROUNDS).play();
    }

    /** The ping-pong with the bare building block: one fresh {@link Waiter} per hand-off. */
    static final class WaiterGame {
        private final int rounds;
        private Waiter<Void> pingSlot, pongSlot;
        private int counter;

        WaiterGame(int rounds) {
            this.rounds = rounds;
        }

        int play() {
            Greenlet<?> pong = Coop.spawn(() -> {
                for (int i = 0; i < rounds; i++) {
                    Waiter<Void> w = new Waiter<>("ping");
                    pongSlot = w;
                    w.await();
                    counter++;
                    Waiter<Void> back = pingSlot;
                    pingSlot = null;
                    back.wake(null);
                }
            });
            Greenlet<?> ping = Coop.spawn(() -> {
                for (int i = 0; i < rounds; i++) {
                    Waiter<Void> w = new Waiter<>("pong");
                    pingSlot = w;
                    Waiter<Void> out = pongSlot; // pong runs first and always waits before ping hands over
                    pongSlot = null;
                    counter++;
                    out.wake(null);
                    w.await();
                }
            });
            ping.join();
            pong.join();
            if (counter != 2 * rounds) throw new AssertionError("lost hand-offs: " + counter);
            return counter;
        }
    }

    // ------------------------------------------------------------ raw continuations

    private static final Object SCOPE = RawContinuation.scope("ping-pong");

    /**
     * The floor: two raw {@code jdk.internal.vm.Continuation}s run alternately by a plain loop on
     * this thread; each hand-off is one run + yield (no scheduler, no park/unpark).
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int continuation() {
        int[] counter = new int[1];
        Runnable body = () -> {
            for (;;) {
                counter[0]++;
                RawContinuation.yield(SCOPE);
            }
        };
        Object ping = RawContinuation.create(SCOPE, body);
        Object pong = RawContinuation.create(SCOPE, body);
        for (int i = 0; i < ROUNDS; i++) {
            RawContinuation.run(ping);
            RawContinuation.run(pong);
        }
        return counter[0];
    }

    // ------------------------------------------------------------ threads

    /** Two platform threads handing over through {@link SynchronousQueue}s. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int platformSynchronousQueue() throws InterruptedException {
        return queueGame(Thread.ofPlatform().factory(), ROUNDS);
    }

    /** Two virtual threads on the JDK's default scheduler (one carrier per core) through {@link SynchronousQueue}s. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int virtualSynchronousQueue() throws InterruptedException {
        return queueGame(Thread.ofVirtual().factory(), ROUNDS);
    }

    /**
     * Two virtual threads on a default scheduler limited to ONE carrier, handing over with bare
     * {@link LockSupport} park/unpark: the JDK's own virtual-thread switch without coop's hub.
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    @Fork(value = 2, jvmArgsAppend = {Flags.OPENS, Flags.EXPORTS_VM, Flags.HEAP_MIN, Flags.HEAP_MAX,
            Flags.ONE_CARRIER, Flags.ONE_CARRIER_MAX})
    public int virtualParkOneCarrier() throws InterruptedException {
        return new ParkGame(ROUNDS).play(Thread.ofVirtual().factory());
    }

    static int queueGame(ThreadFactory threads, int rounds) throws InterruptedException {
        SynchronousQueue<Integer> there = new SynchronousQueue<>();
        SynchronousQueue<Integer> back = new SynchronousQueue<>();
        int[] result = new int[1];
        Thread pong = threads.newThread(() -> {
            try {
                for (int i = 0; i < rounds; i++) back.put(there.take() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread ping = threads.newThread(() -> {
            try {
                int v = 0;
                for (int i = 0; i < rounds; i++) {
                    there.put(v);
                    v = back.take() + 1;
                }
                result[0] = v;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pong.start();
        ping.start();
        ping.join();
        pong.join();
        if (result[0] != 2 * rounds) throw new AssertionError("lost hand-offs: " + result[0]);
        return result[0];
    }

    /** Hand-offs with a volatile turn flag and LockSupport park/unpark. */
    static final class ParkGame {
        private final int rounds;
        private volatile int turn; // 1: pong's turn, 0: ping's
        private volatile Thread ping, pong;
        private int counter;

        ParkGame(int rounds) {
            this.rounds = rounds;
        }

        int play(ThreadFactory threads) throws InterruptedException {
            Thread pongT = threads.newThread(() -> {
                for (int i = 0; i < rounds; i++) {
                    while (turn != 1) LockSupport.park(this);
                    counter++;
                    turn = 0;
                    LockSupport.unpark(ping);
                }
            });
            Thread pingT = threads.newThread(() -> {
                for (int i = 0; i < rounds; i++) {
                    counter++;
                    turn = 1;
                    LockSupport.unpark(pong);
                    while (turn != 0) LockSupport.park(this);
                }
            });
            pong = pongT;
            ping = pingT;
            pongT.start();
            pingT.start();
            pingT.join();
            pongT.join();
            if (counter != 2 * rounds) throw new AssertionError("lost hand-offs: " + counter);
            return counter;
        }
    }
}
