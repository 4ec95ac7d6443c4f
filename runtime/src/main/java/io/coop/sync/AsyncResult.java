package io.coop.sync;

import io.coop.Hub;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Timeout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A value (or an exception) that will arrive later, set once (gevent's {@code AsyncResult}): the
 * way to hand a result to a greenlet, from another greenlet or from another thread.
 *
 * <pre>{@code
 * AsyncResult<String> result = new AsyncResult<>();
 * Coop.spawn(() -> { Coop.sleep(100); result.set("hello"); });
 * String s = result.get(Duration.ofSeconds(1));   // "hello", or Timeout after a second
 *
 * // from another thread: keep the hub alive until the result is set
 * AsyncResult<Long> size = new AsyncResult<>();
 * Hub.KeepAlive alive = Coop.hub().keepAlive();     // taken on the hub, before the thread starts
 * new Thread(() -> {
 *     try (alive) { size.set(expensiveComputation()); }
 *     catch (Throwable t) { size.setException(t); }
 * }).start();
 * long n = size.get();
 * }</pre>
 *
 * <p>{@link #set} and {@link #setException} may be called from any thread: off the hub thread they
 * are posted to the owning hub (the hub of the thread that created the result), so the result
 * becomes ready once the hub runs them. Setting a result twice (by either method, from any
 * thread) throws {@link IllegalStateException} at the second call.
 *
 * <p><b>LoopExit.</b> When every greenlet of the hub waits and nothing the hub knows of can wake
 * them, the wait raises {@link io.coop.LoopExit}. A foreign thread that will set the result is
 * invisible to the hub, so it must hold {@code hub.keepAlive()} (taken before it starts, on the
 * hub thread or any other) and close it only after calling {@code set}/{@code setException}, as
 * in the example above.
 *
 * <p>Waiting ({@link #get()}, {@link #await}) is for the owning hub's greenlets; once the result is
 * ready, any thread may read it. Ready listeners run once, as hub callbacks, in the order they were
 * added.
 *
 * @param <T> the type of the value
 */
public class AsyncResult<T> extends Readiness implements Future<T> {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(AsyncResult.class, "claimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** True once set or setException was called, from any thread. */
    @SuppressWarnings("unused") // through CLAIMED
    private volatile boolean claimed;
    /** True once the hub has stored the outcome; written after value and exception. */
    private volatile boolean ready;
    private T value;
    private Throwable exception;

    /** An empty result, owned by the calling thread's hub. */
    public AsyncResult() {
    }

    /**
     * Runs {@code body} in a new greenlet on {@code hub} (another hub's, or the caller's own) and
     * returns its outcome as a result of the caller's hub: the way to hand work to a given hub and
     * wait for it (see {@link io.coop.HubGroup}). Callable from any hub thread; the caller's hub
     * is kept alive until the outcome arrives. A greenlet killed before it finishes (its hub
     * group closed) gives the {@link GreenletExit} as the exception.
     *
     * <pre>{@code
     * AsyncResult<Integer> n = AsyncResult.spawnOn(hubs.hub(1), () -> countOnThatHub());
     * int count = n.get();
     * }</pre>
     *
     * @throws IllegalStateException if {@code hub}'s thread has ended
     */
    public static <T> AsyncResult<T> spawnOn(Hub hub, Callable<? extends T> body) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(body, "body");
        AsyncResult<T> result = new AsyncResult<>();
        Hub.KeepAlive alive = result.hub.keepAlive();
        try {
            hub.post(() -> {
                Greenlet<T> g = new Greenlet<>(body);
                g.link(done -> {
                    try (alive) {
                        Object v = done.value();
                        if (done.exception() != null) result.setException(done.exception());
                        else if (v instanceof GreenletExit exit) result.setException(exit);
                        else result.set(done.value());
                    }
                });
                g.start();
            });
        } catch (RuntimeException e) {
            alive.close();
            throw e;
        }
        return result;
    }

    /**
     * Stores {@code value} (may be null) and wakes every waiter. Any thread.
     *
     * @throws IllegalStateException if the result was already set (with a value or an exception)
     */
    public void set(T value) {
        claim();
        complete(value, null);
    }

    /**
     * Stores {@code exception}, to be thrown by {@link #get()}, and wakes every waiter. Any thread.
     *
     * @throws IllegalStateException if the result was already set (with a value or an exception)
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        claim();
        complete(null, exception);
    }

    private void claim() {
        if (!CLAIMED.compareAndSet(this, false, true)) {
            throw new IllegalStateException(this + " is already set: an AsyncResult is set once");
        }
    }

    private void complete(T v, Throwable t) {
        if (!hub.isHubThread()) {
            hub.post(() -> complete(v, t));
            return;
        }
        value = v;
        exception = t;
        ready = true;
        becameReady();
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits for the result and returns the value. An unchecked exception given to
     * {@link #setException} is rethrown as it is; a checked one comes wrapped in
     * {@link ExecutionException}, per {@link Future}.
     */
    @Override
    public T get() throws ExecutionException {
        awaitReady("get", Hub.NO_DEADLINE);
        return valueOrThrow();
    }

    /**
     * Waits up to {@code timeout} (null: no limit) and returns the value; throws {@link Timeout}
     * when the timeout passes first. The exception given to {@link #setException} is rethrown as
     * it is when unchecked; a checked one comes wrapped in
     * {@link java.util.concurrent.CompletionException} (this form throws no checked exception).
     */
    public T get(Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout");
        if (!awaitReady("get", deadline)) throw new Timeout(timeout);
        Throwable t = exception;
        if (t == null) return value;
        throw Coop.unchecked(t);
    }

    /**
     * Per {@link Future}: waits up to the timeout (a negative one does not wait), then returns the
     * value or throws as {@link #get()} does; {@link TimeoutException} if the timeout passed first.
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        long deadline = Coop.deadline(Duration.ofNanos(Math.max(0, unit.toNanos(timeout))), "timeout");
        if (!awaitReady("get", deadline)) throw new TimeoutException(this + " was not set within " + timeout + " " + unit);
        return valueOrThrow();
    }

    /** Waits until the result is ready or {@code timeout} passes (null: no limit); false on timeout. Never throws the result's exception. */
    public boolean await(Duration timeout) {
        return awaitReady("await", Coop.deadline(timeout, "timeout"));
    }

    private T valueOrThrow() throws ExecutionException {
        Throwable t = exception;
        if (t == null) return value;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new ExecutionException(t);
    }

    // ---------------------------------------------------------------- state

    /** True once set (with a value or an exception) on the hub. */
    @Override
    public boolean isReady() {
        return ready;
    }

    /** Same as {@link #isReady()}. */
    @Override
    public boolean isDone() {
        return ready;
    }

    /** True once set with a value. */
    public boolean isSuccessful() {
        return ready && exception == null;
    }

    /** The value once set successfully, else null. */
    public T value() {
        return ready ? value : null;
    }

    /** The exception once set with one, else null. */
    public Throwable exception() {
        return ready ? exception : null;
    }

    /** An AsyncResult cannot be cancelled: returns false. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public T resultNow() {
        if (!ready) throw new IllegalStateException(this + " is not set yet");
        if (exception != null) throw new IllegalStateException(this + " failed", exception);
        return value;
    }

    @Override
    public Throwable exceptionNow() {
        if (!ready) throw new IllegalStateException(this + " is not set yet");
        if (exception == null) throw new IllegalStateException(this + " succeeded");
        return exception;
    }

    @Override
    public State state() {
        if (!ready) return State.RUNNING;
        return exception == null ? State.SUCCESS : State.FAILED;
    }

    @Override
    public String toString() {
        if (!ready) return "AsyncResult[pending, waiters=" + waiterCount() + "]";
        return exception == null ? "AsyncResult[value=" + value + "]" : "AsyncResult[failed: " + exception + "]";
    }
}
