package io.coop.sync;

import io.coop.Hub;
import io.coop.Links;
import io.coop.Waitable;
import io.coop.Waiter;

import java.util.Objects;

/**
 * What {@link Event} and {@link AsyncResult} share: their {@link Links}, which wake the greenlets
 * waiting for readiness at once (first come first woken) and then run the ready listeners as one
 * hub callback, in the order they were added. A listener is called once: on the next time the
 * object becomes ready, or at once (as a callback) if it already is.
 */
abstract class Readiness implements Waitable {
    final Hub hub;
    private final Links links;

    Readiness() {
        this.hub = Hub.current();
        this.links = Links.waitersFirst(this, hub);
    }

    /** The hub this object belongs to (the hub of the thread that created it). */
    public final Hub hub() {
        return hub;
    }

    /** Hub thread: wakes every waiter (first come first woken) and schedules the listeners. */
    final void becameReady() {
        links.ready();
    }

    /** Blocks until ready or the deadline passes (false). Returns at once when already ready. */
    final boolean awaitReady(String what, long deadline) {
        if (isReady()) return true;
        hub.checkHubThread(this, what);
        return links.await(new Waiter<>(new Op(what, this)), deadline);
    }

    /** Greenlets waiting now. */
    public final int waiterCount() {
        return links.waiterCount();
    }

    @Override
    public void addReadyListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        hub.checkHubThread(this, "addReadyListener");
        links.add(listener);
    }

    @Override
    public void removeReadyListener(Runnable listener) {
        hub.checkHubThread(this, "removeReadyListener");
        links.remove(listener);
    }

    /** Describes a wait in dumps and LoopExit messages, lazily. */
    record Op(String what, Object target) {
        @Override
        public String toString() {
            return target.getClass().getSimpleName() + "." + what + " on " + target;
        }
    }
}
