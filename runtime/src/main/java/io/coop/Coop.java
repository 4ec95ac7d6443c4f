package io.coop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * gevent's module functions: spawn greenlets, sleep, wait, kill, time out, and run a body as the
 * main greenlet of the calling thread's hub.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     List<Greenlet<?>> jobs = new ArrayList<>();
 *     for (int i = 0; i < 10; i++) {
 *         int n = i;
 *         jobs.add(Coop.spawn(() -> { Coop.sleep(500); System.out.println("task " + n + " done"); }));
 *     }
 *     Coop.joinAll(jobs);   // about 0.5 s in all, on one OS thread
 *     return null;
 * });
 * }</pre>
 *
 * <p>None of coop's blocking calls throws a checked exception: interruption arrives as
 * {@link GreenletExit} or {@link Timeout}, and a checked exception thrown by a body given to
 * {@link #run} or {@link #withTimeout} comes out wrapped in {@link CompletionException}.
 */
public final class Coop {
    /** How long {@link #run} waits for leftover greenlets it kills when its body returns. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private Coop() {
    }

    // ---------------------------------------------------------------- spawning

    /** Creates and starts a greenlet running {@code body}. */
    public static <T> Greenlet<T> spawn(Callable<T> body) {
        return new Greenlet<>(body).start();
    }

    /** Creates and starts a greenlet running {@code body}. */
    public static Greenlet<?> spawn(Runnable body) {
        return new Greenlet<>(callable(body)).start();
    }

    /** Creates a greenlet that starts after {@code delay}. */
    public static <T> Greenlet<T> spawnLater(Duration delay, Callable<T> body) {
        return new Greenlet<>(body).startLater(delay);
    }

    static Callable<Object> callable(Runnable body) {
        Objects.requireNonNull(body, "body");
        return () -> {
            body.run();
            return null;
        };
    }

    /** The running greenlet (the main greenlet when called from a hub thread's own code). */
    public static Greenlet<?> current() {
        return Greenlet.current();
    }

    /** The calling thread's hub. */
    public static Hub hub() {
        return Hub.current();
    }

    // ---------------------------------------------------------------- sleeping

    /** Waits {@code millis} milliseconds; 0 lets every other ready greenlet run once. */
    public static void sleep(long millis) {
        if (millis < 0) throw new IllegalArgumentException("sleep time must not be negative: " + millis + " ms");
        sleep(Duration.ofMillis(millis));
    }

    /** Waits {@code duration}; zero lets every other ready greenlet run once, then comes back. */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("sleep time must not be negative: " + duration);
        Greenlet<?> me = Greenlet.current();
        new Waiter<Void>(me, duration.isZero() ? "sleep(0)" : "sleep(" + format(duration) + ")").awaitFor(duration);
    }

    // ---------------------------------------------------------------- waiting for many

    /** Waits for all {@code greenlets} to finish; returns them in the order they finished. */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> greenlets) {
        return joinAll(greenlets, null, false);
    }

    /** Waits up to {@code timeout} (null: no limit); returns exactly those that finished, in finishing order. */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> greenlets, Duration timeout) {
        return joinAll(greenlets, timeout, false);
    }

    /** As {@link #joinAll(Collection, Duration)}; with {@code raiseError}, rethrows the first failure at once. */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> greenlets, Duration timeout, boolean raiseError) {
        List<Greenlet<?>> done = new ArrayList<>(greenlets.size());
        for (Greenlet<?> g : iwait(greenlets, timeout, 0)) {
            done.add(g);
            if (raiseError && !g.isSuccessful()) throw unchecked(g.exception());
        }
        return done;
    }

    /** Kills all {@code greenlets} with {@link GreenletExit} and waits for them. */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets) {
        killAll(greenlets, null, true, null);
    }

    /**
     * Raises {@code exception} (null: a new {@link GreenletExit} each) in every greenlet; with
     * {@code block}, waits up to {@code timeout} (null: no limit) for all of them to die.
     */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets, Throwable exception, boolean block, Duration timeout) {
        long deadline = deadline(timeout, "timeout");
        List<Greenlet<?>> all = List.copyOf(greenlets);
        for (Greenlet<?> g : all) g.kill(exception != null ? exception : new GreenletExit(), false, null);
        if (block) {
            for (Greenlet<?> g : all) {
                if (!g.joinUntil(deadline)) return;
            }
        }
    }

    /**
     * Waits until {@code count} of {@code waitables} are ready (count &lt;= 0: all of them) or
     * {@code timeout} passes (null: no limit); returns the ready ones in the order they became ready.
     */
    public static <T extends Waitable> List<T> waitAll(Collection<T> waitables, Duration timeout, int count) {
        List<T> ready = new ArrayList<>();
        for (T w : iwait(waitables, timeout, count)) ready.add(w);
        return ready;
    }

    /** Waits until all {@code waitables} are ready; returns them in the order they became ready. */
    public static <T extends Waitable> List<T> waitAll(Collection<T> waitables) {
        return waitAll(waitables, null, 0);
    }

    /** Yields {@code waitables} one at a time as they become ready. */
    public static <T extends Waitable> Iterable<T> iwait(Collection<T> waitables) {
        return iwait(waitables, null, 0);
    }

    /**
     * Yields {@code waitables} as they become ready, stopping after {@code count} (&lt;= 0: all) or
     * when {@code timeout} passes (null: no limit). The timeout covers the whole iteration.
     */
    public static <T extends Waitable> Iterable<T> iwait(Collection<T> waitables, Duration timeout, int count) {
        Objects.requireNonNull(waitables, "waitables");
        List<T> items = List.copyOf(waitables);
        long deadline = deadline(timeout, "timeout");
        int wanted = count <= 0 ? items.size() : Math.min(count, items.size());
        return () -> new WaitIterator<>(items, deadline, wanted);
    }

    private static final class WaitIterator<T extends Waitable> implements Iterator<T> {
        private final ArrayDeque<T> readyQueue = new ArrayDeque<>();
        private final List<T> items;
        private final List<Runnable> listeners = new ArrayList<>();
        private final long deadline;
        private final int wanted;
        private int yielded;
        private Waiter<Void> waiter;
        private boolean closed;

        WaitIterator(List<T> items, long deadline, int wanted) {
            this.items = items;
            this.deadline = deadline;
            this.wanted = wanted;
            for (T item : items) {
                Runnable l = () -> {
                    readyQueue.add(item);
                    if (waiter != null) waiter.wake(null);
                };
                listeners.add(l);
                item.addReadyListener(l);
            }
        }

        @Override
        public boolean hasNext() {
            if (closed) return false;
            if (yielded >= wanted) {
                close();
                return false;
            }
            if (readyQueue.isEmpty()) {
                waiter = new Waiter<>("iwait(" + (wanted - yielded) + " of " + items.size() + ")");
                boolean ok;
                try {
                    ok = waiter.await(deadline);
                } catch (RuntimeException | Error e) {
                    close();
                    throw e;
                } finally {
                    waiter = null;
                }
                if (!ok) {
                    close();
                    return false;
                }
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            yielded++;
            return readyQueue.poll();
        }

        private void close() {
            closed = true;
            for (int i = 0; i < items.size(); i++) items.get(i).removeReadyListener(listeners.get(i));
        }
    }

    // ---------------------------------------------------------------- timeouts

    /** Runs {@code body} in the current greenlet, raising {@link Timeout} if it takes longer than {@code timeout}. */
    @SuppressWarnings("try") // the Timeout is only held for its scope
    public static <T> T withTimeout(Duration timeout, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        try (Timeout t = Timeout.startNew(timeout)) {
            return body.call();
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    /** Like {@link #withTimeout(Duration, Callable)} but returns {@code timeoutValue} when its own timeout fires. */
    public static <T> T withTimeout(Duration timeout, Callable<T> body, T timeoutValue) {
        Objects.requireNonNull(body, "body");
        Timeout t = Timeout.startNew(timeout);
        try {
            return body.call();
        } catch (Timeout e) {
            if (e != t) throw e;
            return timeoutValue;
        } catch (Exception e) {
            throw unchecked(e);
        } finally {
            t.cancel();
        }
    }

    // ---------------------------------------------------------------- running a hub

    /**
     * Runs {@code body} as the main greenlet of the calling thread's hub, driving the loop until
     * it returns, and returns its result; the entry point for library use without the agent.
     * Greenlets still alive when the body ends are killed (their finally blocks run). A failure
     * of the body is rethrown (a checked one wrapped in {@link CompletionException}). Called
     * inside a greenlet (as {@code main} is under the agent), it just runs the body there.
     */
    public static <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        if (Greenlet.running() != null) {
            // already inside a greenlet (e.g. main under -javaagent:coop.jar): the hub runs, so
            // the body simply runs here, and the same program works with and without the agent
            try {
                return body.call();
            } catch (Exception e) {
                throw unchecked(e);
            }
        }
        Hub hub = Hub.current();
        if (hub.root != hub.main) throw new IllegalStateException("Coop.run is already running on this thread");
        Greenlet<T> main = new Greenlet<>(hub, body);
        main.setName("main");
        hub.root = main;
        try {
            main.start();
            main.join();
        } finally {
            hub.root = hub.main;
            killLeftovers(hub);
        }
        if (main.exception() != null) throw unchecked(main.exception());
        return main.value();
    }

    /**
     * Runs {@code body} as the main greenlet of a hub on {@code schedule} (a seed, virtual time, a
     * trace), and returns its result as {@link #run(Callable)} does. The same body with the same
     * seed runs the same interleaving, event for event, as long as everything it talks to is in
     * this JVM (see docs/finding-races.md).
     *
     * <pre>{@code
     * Coop.run(Schedule.seeded(7).withTrace(Path.of("seed-7.trace")), () -> {
     *     ...                                   // ordinary code: threads, sockets, sleeps, locks
     *     return null;
     * });
     * }</pre>
     *
     * <p>A schedule replays from its start, so the body needs a hub with nothing else alive:
     * the calling thread's hub when the caller is not a greenlet and that hub has no greenlet
     * alive (its own schedule is put back afterwards); otherwise a hub of its own on a new
     * thread, which the caller waits for.
     */
    public static <T> T run(Schedule schedule, Callable<T> body) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(body, "body");
        Greenlet<?> caller = Greenlet.running();
        if (caller != null) return runOnOwnThread(schedule, body);
        Hub hub = Hub.current();
        if (hub.root != hub.main) throw new IllegalStateException("Coop.run is already running on this thread");
        if (!hub.greenlets().isEmpty()) return runOnOwnThread(schedule, body);
        Runnable restore = hub.useSchedule(schedule);
        try {
            return run(body);
        } finally {
            restore.run();
        }
    }

    /**
     * Runs the body on a new thread's hub and waits for it. In a greenlet the wait parks only
     * the greenlet (a JDK park, which the hub serves like any other); the thread is coop's own,
     * so the agent leaves it an OS thread.
     */
    private static <T> T runOnOwnThread(Schedule schedule, Callable<T> body) {
        java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
        String name = schedule.seed().isPresent() ? "coop-run seed " + schedule.seed().getAsLong() : "coop-run";
        Thread.ofPlatform().name(name).start(() -> {
            try {
                done.complete(run(schedule, body));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for the run on " + schedule, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw unchecked(e.getCause());
        }
    }

    /** Kills the greenlets still alive on {@code hub} (on its thread), as a run's end does. */
    static void killLeftovers(Hub hub) {
        List<Greenlet<?>> rest = hub.greenlets();
        if (rest.isEmpty()) return;
        try {
            killAll(rest, null, true, SHUTDOWN_GRACE);
        } catch (LoopExit e) {
            // the ones left wait for each other: nothing more can run them
        }
        List<Greenlet<?>> stuck = hub.greenlets();
        if (!stuck.isEmpty()) {
            Hub.log().log(System.Logger.Level.WARNING, "Coop.run: " + stuck.size() + " greenlet(s) did not end within "
                    + format(SHUTDOWN_GRACE) + " of being killed: " + stuck);
        }
    }

    // ---------------------------------------------------------------- helpers shared by the runtime

    /**
     * The absolute deadline ({@link System#nanoTime()} scale) {@code timeout} from now; null means
     * none. While the hub runs a pass, "now" is the start of that pass (see {@link Hub}); the
     * wait itself still never ends before {@code timeout} has passed from the call.
     * Rejects negative durations, naming {@code what}.
     */
    public static long deadline(Duration timeout, String what) {
        if (timeout == null) return Hub.NO_DEADLINE;
        if (timeout.isNegative()) throw new IllegalArgumentException(what + " must not be negative: " + timeout);
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            return Hub.NO_DEADLINE;
        }
        Hub hub = Hub.ofCurrentThreadOrNull();
        long now = hub != null ? hub.now() : System.nanoTime();
        long d = now + nanos;
        return d == Hub.NO_DEADLINE || d - now < 0 ? Hub.NO_DEADLINE - 1 : d;
    }

    /** {@code t} as an unchecked exception: itself when unchecked, else wrapped in {@link CompletionException}. */
    public static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new CompletionException(t);
    }

    /** Throws {@code t} as it is, checked or not (for exceptions given to kill or Timeout). */
    static RuntimeException sneaky(Throwable t) {
        throw Coop.<RuntimeException>sneaky0(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky0(Throwable t) throws E {
        throw (E) t;
    }

    /** A duration for messages: 500 ms, 1.5 s. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return d.toNanos() % 1_000_000 == 0 ? ms + " ms" : d.toNanos() / 1000 + " us";
        return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + " s";
    }
}
