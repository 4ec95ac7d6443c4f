package io.coop.sync;

import io.coop.Coop;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.Waitable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;

/**
 * What {@link Event} and {@link AsyncResult} share (gevent's AbstractLinkable): the line of
 * greenlets waiting for readiness, and the ready listeners, which run as hub callbacks in the
 * order they were added. A listener is called once: on the next time the object becomes ready,
 * or at once (as a callback) if it already is.
 */
abstract class Readiness implements Waitable {
    private static final System.Logger LOG = System.getLogger("io.coop");

    final Hub hub;
    private final WaitQueue<Void> waiters = new WaitQueue<>();
    /** Listeners waiting for the next time this becomes ready. */
    private ArrayList<Runnable> listeners;
    /** Listeners due to run in the callback already posted. */
    private final ArrayDeque<Runnable> due = new ArrayDeque<>(2);
    private boolean firePosted;

    Readiness() {
        this.hub = Hub.current();
    }

    /** The hub this object belongs to (the hub of the thread that created it). */
    public final Hub hub() {
        return hub;
    }

    /** Hub thread: wakes every waiter (first come first woken) and schedules the listeners. */
    final void becameReady() {
        waiters.wakeAll(null);
        if (listeners != null && !listeners.isEmpty()) {
            due.addAll(listeners);
            listeners.clear();
            postFire();
        }
    }

    /** Blocks until ready or the deadline passes (false). Returns at once when already ready. */
    final boolean awaitReady(String what, long deadline) {
        if (isReady()) return true;
        hub.checkHubThread(this, what);
        return waiters.await(new Op(what, this), deadline) != null;
    }

    /** Greenlets waiting now. */
    public final int waiterCount() {
        return waiters.size();
    }

    @Override
    public void addReadyListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        hub.checkHubThread(this, "addReadyListener");
        if (isReady()) {
            due.addLast(listener);
            postFire();
        } else {
            if (listeners == null) listeners = new ArrayList<>(2);
            listeners.add(listener);
        }
    }

    @Override
    public void removeReadyListener(Runnable listener) {
        hub.checkHubThread(this, "removeReadyListener");
        if (listeners != null) listeners.removeIf(l -> l == listener);
        due.removeIf(l -> l == listener);
    }

    private void postFire() {
        if (!firePosted) {
            firePosted = true;
            hub.post(this::fire);
        }
    }

    private void fire() {
        firePosted = false;
        Runnable l;
        while ((l = due.pollFirst()) != null) {
            try {
                l.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "a ready listener of " + this + " failed", t);
            }
        }
    }

    /** Describes a wait in dumps and LoopExit messages, lazily. */
    record Op(String what, Object target) {
        @Override
        public String toString() {
            return target.getClass().getSimpleName() + "." + what + " on " + target;
        }
    }
}
