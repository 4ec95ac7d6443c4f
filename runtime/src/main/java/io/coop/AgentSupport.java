package io.coop;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What coop.jar's agent needs from the hub to reroute blocking JDK calls: not part of coop's
 * API (application code has no use for it), public only because the agent lives in another
 * package. Every method answers "not mine" (null or false) instead of making a hub for a thread
 * that has none, so a patched JDK method can fall through to its own behaviour.
 *
 * <pre>{@code
 * // inside a patched Thread.sleep:
 * if (AgentSupport.inCoop()) AgentSupport.sleepNanos(nanos); else originalSleep(nanos);
 * }</pre>
 */
public final class AgentSupport {
    private AgentSupport() {
    }

    /**
     * The greenlet running the caller, or null when the caller is not a greenlet (its hub thread
     * included), or is a greenlet whose pinned wait its hub is serving in place (see
     * {@link #servePinnedWait}): the waits made meanwhile are the JDK's own.
     */
    public static Greenlet<?> currentGreenlet() {
        Greenlet<?> g = Greenlet.running();
        return g == null || g.hub.pinned == g ? null : g;
    }

    /** What the agent does when a hub first runs on virtual time (makes code read the hub's clock); null without the agent. */
    private static volatile Runnable virtualTimeStarts;

    /** Called by the agent: {@code action} runs (once) when a hub first runs on virtual time, or at once if one already did. */
    public static void whenVirtualTimeStarts(Runnable action) {
        virtualTimeStarts = action;
        if (virtualTimeStarted) action.run();
    }

    private static volatile boolean virtualTimeStarted;

    /** A hub is about to run on virtual time. */
    static void virtualTimeStarts() {
        virtualTimeStarted = true;
        Runnable action = virtualTimeStarts;
        if (action != null) action.run();
    }

    /** The hub of the greenlet running the caller (pinned or not), or null: whose clock the caller reads. */
    public static Hub currentGreenletHub() {
        Greenlet<?> g = Greenlet.running();
        return g == null ? null : g.hub;
    }

    /** The greenlet running the caller, pinned or not, or null when the caller is not a greenlet. */
    public static Greenlet<?> runningGreenlet() {
        return Greenlet.running();
    }

    /**
     * The greenlet whose virtual thread {@code t} is, or null: found from the thread's scheduler,
     * as {@link #runningGreenlet()} is, so nothing needs to be kept per greenlet to answer. Any thread.
     */
    public static Greenlet<?> greenletOf(Thread t) {
        if (!t.isVirtual()) return null;
        return Substrate.schedulerOf(t) instanceof Greenlet.Scheduler s && s.greenlet.thread == t ? s.greenlet : null;
    }

    /**
     * The calling greenlet gives up its hub because it was preempted for holding it
     * ({@code coop.preempt}): it resumes after the greenlets that were waiting (see
     * {@code RunQueue.preempted}), unless it cannot unmount now (then it goes on at once). False
     * when the caller is not a greenlet.
     */
    public static boolean yieldPreempted() {
        Greenlet<?> g = currentGreenlet();
        if (g == null) return false;
        g.hub.queue.yieldPreempted(g);
        return true;
    }

    /** True when the caller is a greenlet that cannot unmount now (a class initializer or native frame on its stack). */
    public static boolean cannotUnmount() {
        return Greenlet.running() != null && Substrate.cannotUnmount();
    }

    /**
     * The JDK's park of a greenlet that cannot unmount ({@code VirtualThread.parkOnCarrierThread}):
     * when it is a coop wait, serves it in place and returns true (the park is over); throws
     * {@link LoopExit} when only another greenlet of the hub could end it. False for every other
     * park: the JDK parks the OS thread as usual.
     */
    public static boolean servePinnedWait() {
        Greenlet<?> g = Greenlet.running();
        if (g == null || !PinnedWait.serve(g)) return false;
        Substrate.consumeParkPermit(Thread.currentThread());
        return true;
    }

    /**
     * The hub of the calling thread, or null: the hub of the greenlet that calls, or the hub of
     * the calling OS thread if that thread already has one. Never makes a hub.
     */
    public static Hub currentHub() {
        return HubRegistry.ofCurrentThreadOrNull();
    }

    /**
     * Starts the blocking monitor once (see {@code BlockingMonitor}): it reports blocked hubs
     * when {@code report}, and tells {@code onHeld} (when not null) how long each hub has been
     * held, at least every quarter of {@code preemptEvery}.
     */
    public static void startMonitor(boolean report, Duration preemptEvery, java.util.function.ObjLongConsumer<Hub> onHeld) {
        BlockingMonitor.start(report, preemptEvery, onHeld);
    }

    /** The greenlet whose virtual thread is mounted on {@code hub}'s OS thread now, or null. Any thread. */
    public static Greenlet<?> mountedGreenlet(Hub hub) {
        return BlockingMonitor.mounted(hub);
    }

    /** Starts {@code g} now when the caller is on its hub's thread, else as soon as its hub runs (any thread). */
    public static void startOnItsHub(Greenlet<?> g) {
        if (g.hub.isHubThread()) g.start();
        else g.hub.post(g::start);
    }

    /** True while {@code hub}'s loop waits for work (idle), as opposed to running a greenlet or callback. Any thread. */
    public static boolean isIdle(Hub hub) {
        return hub.queue.sleeping && hub.pinned == null;
    }

    /**
     * Waits until {@code g} (a greenlet of any hub) is dead, or {@code timeout} (null: none)
     * passes; true if dead. On {@code g}'s own hub this is {@code g.join}; from another hub the
     * caller waits on its own hub for a link posted to {@code g}'s, keeping its hub alive
     * meanwhile: how a thread of one hub joins an application thread placed on another.
     */
    public static boolean joinFromAnyHub(Greenlet<?> g, Duration timeout) {
        Hub mine = Hub.current();
        if (g.hub == mine || g.isDead()) return g.join(timeout);
        return Waiter.awaitNews("join(" + g.name() + ") on " + g.hub.thread().getName(), timeout, news -> {
            try {
                g.hub.post(() -> g.link(done -> news.run()));
                return true;
            } catch (IllegalStateException hubEnded) {
                return false;
            }
        }) || g.isDead();
    }

    /** The hub that runs {@code g}. */
    public static Hub hubOf(Greenlet<?> g) {
        return g.hub;
    }

    /** True when the caller is a greenlet or a hub thread's own code (its main greenlet). */
    public static boolean inCoop() {
        return HubRegistry.ofCurrentThreadOrNull() != null;
    }

    /**
     * {@code Thread.sleep} for a greenlet or a hub thread: waits on the hub's timer heap; a
     * pending kill or {@link Timeout} is raised from it; an interrupt ends it with
     * {@link InterruptedException} (interrupt status cleared, as the JDK does). Zero yields to
     * every other ready greenlet once.
     */
    public static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos < 0) throw new IllegalArgumentException("sleep time must not be negative: " + nanos + " ns");
        Greenlet<?> me = Greenlet.current();
        if (Thread.interrupted()) throw new InterruptedException();
        Duration time = Duration.ofNanos(nanos);
        String what = nanos == 0 ? "Thread.sleep(0)" : "Thread.sleep(" + Coop.format(time) + ")";
        new Waiter<Void>(me, what).interruptible().awaitFor(time);
        if (Thread.interrupted()) throw new InterruptedException();
    }

    /**
     * Schedules {@code command} on the hub's timer heap when the calling OS thread is a hub
     * (whose scheduler is {@code scheduler}, if not null): a greenlet's virtual thread parking
     * with a timeout; null otherwise. The returned future cancels the timer.
     */
    public static Future<?> schedule(Executor scheduler, Runnable command, long delay, TimeUnit unit) {
        Hub hub = HubRegistry.ofCurrentThreadOrNull();
        if (hub == null || (scheduler != null && !isHubScheduler(scheduler, hub)) || !hub.isHubThread()) return null;
        // on the hub's clock, which a seeded run's virtual time moves
        long deadline = Coop.deadline(Duration.ofNanos(Math.max(0, unit.toNanos(delay))), "timeout");
        return new TimerFuture(hub, hub.timers.schedule(deadline, command));
    }

    /** Readable / writable, as {@code sun.nio.ch.Net.POLLIN / POLLOUT} on Linux. */
    public static final int POLLIN = EpollDriver.EPOLLIN, POLLOUT = EpollDriver.EPOLLOUT;

    /** True if hubs can wait on raw file descriptors here (Linux, sun.nio.ch open to coop). */
    public static boolean canAwaitFd() {
        return EpollDriver.isAvailable();
    }

    /**
     * A wait on descriptor {@code fd} for a greenlet or a hub thread's own code: waits on the
     * hub's epoll until {@code fd} is ready for {@code event}, a close or shutdown of it
     * ({@link #stopFd}), an interrupt (status left set), or {@code nanos} (0: no limit). A pending
     * kill or Timeout is raised. {@code stillWanted} (or null) is checked once registered.
     * Returns false on timeout.
     */
    public static boolean awaitFd(int fd, int event, long nanos, BooleanSupplier stillWanted) {
        Greenlet<?> me = Greenlet.current();
        return me.hub.awaitIo(me, null, fd, event, deadline(nanos), stillWanted, new FdWait(fd, event, nanos));
    }

    /**
     * The JDK's {@code Poller.poll} (and {@code pollSelector}), called straight from the agent's
     * hook: null when the caller is not a greenlet (or is one whose pinned wait the hub serves),
     * so the JDK's own poll runs; otherwise {@link #awaitFd} and {@code Boolean.TRUE} (the JDK
     * re-checks the socket itself). One frame between the hook and the hub's wait, since every
     * frame here is copied into each parked connection's stack.
     */
    public static Object pollFd(int fd, int event, long nanos, BooleanSupplier stillWanted) {
        Greenlet<?> me = currentGreenlet();
        if (me == null) return null;
        me.hub.awaitIo(me, null, fd, event, deadline(nanos), stillWanted, new FdWait(fd, event, nanos));
        return Boolean.TRUE;
    }

    private static long deadline(long nanos) {
        return nanos <= 0 ? Hub.NO_DEADLINE : Coop.deadline(Duration.ofNanos(nanos), "timeout");
    }

    /** What a greenlet waits for in {@link #awaitFd}, as dumps show it: made into text only when shown. */
    private record FdWait(int fd, int event, long nanos) {
        @Override
        public String toString() {
            return "fd " + fd + (event == POLLOUT ? " writable" : " readable")
                    + (nanos > 0 ? " (" + Coop.format(Duration.ofNanos(nanos)) + ")" : "");
        }
    }

    /** Wakes the greenlets of every hub that wait on {@code fd} for {@code event} (0: any). Any thread. */
    public static void stopFd(int fd, int event) {
        EpollDriver.stopAll(fd, event);
    }

    /** True when {@code scheduler} is the scheduler of a hub's greenlets. */
    public static boolean isHubScheduler(Executor scheduler, Hub hub) {
        return hub != null && scheduler instanceof Greenlet.Scheduler s && s.greenlet.hub == hub;
    }

    /** A hub timer seen as the {@link Future} the JDK's virtual threads expect for their timeouts. */
    private static final class TimerFuture implements Future<Object> {
        private final Hub hub;
        private final TimerHeap.Timer timer;
        private volatile boolean cancelled;

        TimerFuture(Hub hub, TimerHeap.Timer timer) {
            this.hub = hub;
            this.timer = timer;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (cancelled) return false;
            cancelled = true;
            if (hub.isHubThread()) timer.cancel();
            else hub.post(timer::cancel);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || (hub.isHubThread() && !timer.isPending());
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a hub timer has no result");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a hub timer has no result");
        }
    }
}
