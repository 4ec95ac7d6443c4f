package io.coop.sync;

import io.coop.Hub;
import io.coop.Coop;

import java.time.Duration;

/**
 * A flag that greenlets wait for (gevent's {@code Event}): {@link #set()} wakes every waiter,
 * {@link #clear()} makes later waiters wait again.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Coop.spawn(() -> { ready.await(); System.out.println("go"); });
 * Coop.spawn(() -> { ready.await(); System.out.println("go too"); });
 * ready.set();          // both waiters are woken; set() itself does not switch
 * }</pre>
 *
 * <p>{@link #set()} wakes every waiter (first come first woken) and then runs the ready listeners
 * ({@link #addReadyListener}) as hub callbacks, in the order they were added; each listener runs
 * once. A waiter woken by {@code set()} returns true even if the event is cleared again before it
 * runs. {@code set()} and {@code clear()} may be called from any thread: off the hub thread they
 * are posted to the hub ({@link io.coop.Hub#post}), so their effect is visible once the hub has run
 * them. A thread that will set the event while every greenlet waits for it must hold
 * {@code event.hub().keepAlive()} until it has called {@code set()} (see {@link AsyncResult}).
 * Everything else is for the owning hub's greenlets: the event belongs to the hub of the thread
 * that created it.
 */
public class Event extends Readiness {
    private volatile boolean flag;

    /** A cleared event, owned by the calling thread's hub. */
    public Event() {
    }

    /** Sets the flag and wakes every waiter. Does nothing if already set. Any thread. */
    public void set() {
        if (!hub.isHubThread()) {
            hub.post(this::set);
            return;
        }
        if (flag) return;
        flag = true;
        becameReady();
    }

    /** Resets the flag: later {@link #await()} calls wait again. Any thread. */
    public void clear() {
        if (!hub.isHubThread()) {
            hub.post(this::clear);
            return;
        }
        flag = false;
    }

    /** True while the flag is set. */
    public boolean isSet() {
        return flag;
    }

    /** Same as {@link #isSet()}. */
    @Override
    public boolean isReady() {
        return flag;
    }

    /** Waits until the flag is set; returns true (at once if it is set already). */
    public boolean await() {
        return awaitReady("await", Hub.NO_DEADLINE);
    }

    /**
     * Waits until the flag is set or {@code timeout} passes (null: no limit); true if it was set,
     * false on timeout.
     */
    public boolean await(Duration timeout) {
        return awaitReady("await", Coop.deadline(timeout, "timeout"));
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "clear") + ", waiters=" + waiterCount() + "]";
    }
}
