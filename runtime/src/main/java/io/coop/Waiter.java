package io.coop;

/**
 * One greenlet's wait for one wake-up: the building block of every coop primitive (gevent's
 * {@code Waiter}). The owner calls {@link #await}; some other greenlet, callback or thread calls
 * {@link #wake}. A wait that was woken always completes, even when a {@link Timeout} or kill
 * arrived in the same instant: that exception stays pending and is raised at the owner's next
 * blocking point, so a value handed over is never lost.
 *
 * <pre>{@code
 * Waiter<String> w = new Waiter<>("reply");
 * Coop.spawn(() -> w.wake("pong"));
 * String reply = w.await();
 * }</pre>
 *
 * @param <T> the type of the value handed over by {@link #wake}
 */
public final class Waiter<T> {
    final Greenlet<?> owner;
    private final Object what;
    boolean woken;
    boolean timedOut;
    /** See {@link #interruptible()}. */
    boolean interruptible;
    /**
     * True for a wait that something outside the hub's greenlets can end (a descriptor turning
     * ready): decides whether a pinned wait can be served at all (see {@code PinnedWait}).
     */
    boolean external;
    private T value;
    /** The {@link WaitQueue} this waiter stands in, and its neighbours there (null when in none). */
    WaitQueue<T> line;
    Waiter<T> prevInLine;
    Waiter<T> nextInLine;
    /** Free for the primitive that made the waiter (a queue's putter keeps its item here). */
    public Object attachment;

    /** A waiter owned by the current greenlet; {@code what} describes the wait in dumps and LoopExit. */
    public Waiter(Object what) {
        this(Greenlet.current(), what);
    }

    Waiter(Greenlet<?> owner, Object what) {
        this.owner = owner;
        this.what = what;
    }

    /** Hands {@code value} to the owner and makes it ready to run. Only the first wake counts. Any thread. */
    public void wake(T value) {
        Hub hub = owner.hub;
        if (!hub.isHubThread()) {
            hub.post(() -> wake(value));
            return;
        }
        if (woken) return;
        woken = true;
        this.value = value;
        owner.wokenUp(this);
    }

    /** Blocks the owner until woken and returns the value. Throws a pending kill or Timeout. */
    public T await() {
        owner.block(this, Hub.NO_DEADLINE);
        return value;
    }

    /**
     * Blocks the owner until woken or until {@code deadlineNanos} ({@link System#nanoTime()} scale);
     * true if woken, false on timeout.
     */
    public boolean await(long deadlineNanos) {
        return owner.block(this, deadlineNanos);
    }

    /**
     * The one timed wait that coop's sleeps and the agent's timed parks share ({@link Coop#sleep},
     * the patched {@code Thread.sleep} and {@code LockSupport.parkNanos}/{@code parkUntil}):
     * blocks the owner until woken or until {@code timeout} has passed; true if woken, false on
     * timeout. A zero timeout yields: every other ready greenlet runs once, then the owner comes
     * back (true).
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean awaitFor(java.time.Duration timeout) {
        if (timeout.isZero()) {
            owner.hub.post(() -> wake(null));
            return owner.block(this, Hub.NO_DEADLINE);
        }
        return owner.block(this, Coop.deadline(timeout, "timeout"));
    }

    /**
     * Waits, on the caller's hub, for news that another thread or hub will bring by running the
     * {@code Runnable} handed to {@code arrange}; the caller's hub is kept alive meanwhile (no
     * LoopExit while the news may still come). {@code arrange} returns false when there is nothing
     * to wait for (the news cannot come, or came already). True when the news came, false when
     * there was none to wait for or {@code timeout} (null: none) passed first.
     */
    static boolean awaitNews(Object what, java.time.Duration timeout, java.util.function.Predicate<Runnable> arrange) {
        Waiter<Void> w = new Waiter<>(what);
        Hub.KeepAlive alive = HubRegistry.current().keepAlive();
        boolean pending;
        try {
            pending = arrange.test(() -> {
                w.wake(null);
                alive.close();
            });
        } catch (RuntimeException | Error e) {
            alive.close();
            throw e;
        }
        if (!pending) {
            alive.close();
            return false;
        }
        boolean woken = true;
        if (timeout == null) w.await();
        else woken = w.awaitFor(timeout);
        if (!woken) alive.close(); // the news may still come: closing twice is harmless
        return woken;
    }

    /**
     * Makes {@link #await} also end when the owner's thread is interrupted (as a timeout would:
     * it returns false, or null from a {@link WaitQueue}), leaving the interrupt status set for
     * the caller to turn into an {@code InterruptedException}. This is how the agent gives
     * patched JDK waits ({@code Thread.sleep}, socket reads) their interrupt semantics.
     */
    public Waiter<T> interruptible() {
        interruptible = true;
        return this;
    }

    /** True once {@link #wake} handed this waiter its value; a woken wait always completes. */
    public boolean isWoken() {
        return woken;
    }

    /** The value passed to {@link #wake}; null before. */
    public T value() {
        return value;
    }

    /** The greenlet that waits. */
    public Greenlet<?> owner() {
        return owner;
    }

    /** What this wait is for, as shown by {@link Hub#dump()} and {@link LoopExit}. */
    public String describe() {
        return String.valueOf(what);
    }

    @Override
    public String toString() {
        return "Waiter[" + describe() + (woken ? ", woken" : "") + "]";
    }
}
