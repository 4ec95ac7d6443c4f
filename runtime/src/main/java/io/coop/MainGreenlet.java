package io.coop;

/**
 * The hub thread's own code, seen as a greenlet (gevent's main greenlet). When it waits it does
 * not park: it drives the hub loop until its own wait is over.
 */
final class MainGreenlet extends Greenlet<Object> {

    MainGreenlet(Hub hub, Thread thread) {
        super(hub, () -> null);
        this.thread = thread;
        setName(thread.getName());
        markStarted();
    }

    /** Where {@link Greenlet#block} parks a greenlet, the main greenlet runs hub passes until its wait is over. */
    void runHub() {
        hub.loop.runOnce(this);
    }

    @Override
    void unparkSelf() {
        // the loop re-checks this wait after every pass: nothing to do
    }

    @Override
    void enterWait() {
        // the main greenlet is never counted among the greenlets that LoopExit looks at
    }

    @Override
    void leaveWait() {
    }

    /** True when the current wait of the main greenlet can return. */
    boolean waitIsOver() {
        Waiter<?> w = waiting;
        return w == null || w.woken || w.timedOut || hasPending();
    }

    @Override
    public Greenlet<Object> start() {
        throw new IllegalStateException("the main greenlet is the hub thread itself and is always running");
    }

    @Override
    public String toString() {
        return "MainGreenlet[" + name() + ", " + stateDescription() + "]";
    }
}
