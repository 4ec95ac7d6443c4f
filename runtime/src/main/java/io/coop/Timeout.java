package io.coop;

import java.time.Duration;

/**
 * Raises an exception in the greenlet that started it, at that greenlet's blocking point, once a
 * duration has passed, unless cancelled first (gevent's {@code Timeout}). It is itself the
 * exception raised, unless another was given.
 *
 * <pre>{@code
 * try (Timeout t = Timeout.startNew(Duration.ofMillis(500))) {
 *     queue.get();
 * } catch (Timeout e) {
 *     // if (e != t) throw e;   -- with nested timeouts, only handle your own
 * }
 * }</pre>
 *
 * <p>Nested timeouts work: the one that fires is the one raised; the others stay pending until
 * cancelled. A {@code null} duration makes a timeout that never fires. Timeouts count only at
 * blocking points: a greenlet that never waits cannot be interrupted.
 */
public class Timeout extends RuntimeException implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient Duration duration;
    private final transient Throwable toRaise;
    private transient Greenlet<?> owner;
    private transient TimerHeap.Timer timer;

    /** A timeout of {@code duration} (null: never fires) that raises itself. */
    public Timeout(Duration duration) {
        this(duration, null);
    }

    /** A timeout of {@code duration} that raises {@code toRaise} instead of itself. */
    public Timeout(Duration duration, Throwable toRaise) {
        super(duration == null ? "timeout (never fires)" : "timed out after " + Coop.format(duration));
        if (duration != null && duration.isNegative()) throw new IllegalArgumentException("timeout must not be negative: " + duration);
        this.duration = duration;
        this.toRaise = toRaise;
    }

    /** Creates and starts a timeout in the current greenlet. */
    public static Timeout startNew(Duration duration) {
        return new Timeout(duration).start();
    }

    /** Creates and starts a timeout that raises {@code toRaise}. */
    public static Timeout startNew(Duration duration, Throwable toRaise) {
        return new Timeout(duration, toRaise).start();
    }

    /** Starts the countdown for the current greenlet; throws if already pending. */
    public Timeout start() {
        if (isPending()) throw new IllegalStateException(this + " is already started");
        owner = Greenlet.current();
        if (duration != null) {
            long deadline = Coop.deadline(duration, "duration");
            timer = owner.hub.timers.schedule(deadline, this::fire);
            owner.armedTimeouts++;
        }
        return this;
    }

    private void fire() {
        timer = null;
        owner.armedTimeouts--;
        owner.throwIn(raised());
    }

    private Throwable raised() {
        return toRaise != null ? toRaise : this;
    }

    /** Stops the countdown; if it fired but was not raised yet, it is withdrawn. Idempotent. */
    public void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
            owner.armedTimeouts--;
        }
        if (owner != null) owner.withdraw(raised());
    }

    /** Same as {@link #cancel()}: for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /** True while started and not yet fired or cancelled. */
    public boolean isPending() {
        return timer != null && timer.isPending();
    }

    /** The duration given at construction (null: never fires). */
    public Duration duration() {
        return duration;
    }
}
