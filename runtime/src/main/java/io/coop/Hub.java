package io.coop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The loop that runs every greenlet of one OS thread: a ready queue, a timer heap, socket
 * readiness and a thread-safe inbox for wake-ups that come from other threads.
 *
 * <p>There is one hub per OS thread, made on first use. The hub does not own a thread of its
 * own: the thread's own code (its "main greenlet", {@link #mainGreenlet()}) drives the loop
 * whenever it waits. {@link Coop#run} therefore makes the calling thread the hub.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     Coop.spawn(() -> Coop.sleep(100));
 *     Coop.hub().dump(System.out);      // every greenlet with its state and stack
 *     return null;
 * });
 * }</pre>
 *
 * <p>Scheduling order is gevent's: {@code spawn} only schedules; ready greenlets run first in
 * first out, each pass runs what was ready when the pass began; timers with equal deadlines
 * fire in the order they were set; wake-ups from other threads run in the order they arrived.
 * The same program therefore interleaves the same way every run. A {@link Schedule} with a seed
 * ({@code coop.seed}) orders each pass with that seed instead, to explore other interleavings
 * reproducibly, and with virtual time the hub's clock only moves when the hub is idle (see
 * {@link Sequencer} and {@link HubClock}).
 */
public final class Hub {
    /** coop's logger ("io.coop"), made on first use: System.getLogger starts the logging backend, tens of ms at JVM start. */
    static System.Logger log() {
        return Log.LOGGER;
    }

    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("io.coop");
    }
    /** "No deadline" for the internal absolute-deadline API. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final ThreadLocal<Hub> THREAD_HUB = new ThreadLocal<>();
    static final ConcurrentHashMap<Thread, Hub> BY_CARRIER = new ConcurrentHashMap<>();
    private static final VarHandle SWITCHES;

    static {
        try {
            SWITCHES = MethodHandles.lookup().findVarHandle(Hub.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;
    final MainGreenlet main;

    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** True while the loop waits for work (read by the blocking monitor: the hub is idle, not blocked). */
    volatile boolean sleeping;
    private final TimerHeap timers = new TimerHeap();
    private Selector selector;
    int ioWaiters;
    /**
     * Keys that had a waiter since the last sweep, to find channels closed under a waiter (a
     * key joins when it gets its first waiter; a sweep drops those with none left).
     */
    private final ArrayList<SelectionKey> watchedKeys = new ArrayList<>();
    private static final long SWEEP_INTERVAL_NANOS = 200_000_000L;
    private long lastSweep;
    /** Raw descriptor readiness (epoll), made on first use by the agent's socket patch; see {@link FdPoller}. */
    private volatile FdPoller fdPoller;
    private final AtomicInteger keepAlive = new AtomicInteger();
    /** The schedule's decisions (pass order, trace); null on the default schedule, which needs none. */
    private Sequencer sequencer;
    private Schedule schedule;
    /** Monitor wake-ups on their way from the JVM's unblocker thread; only in a seeded run. */
    private MonitorHandoffs handoffs;
    /** The hub's "now": real, or virtual under a schedule that says so. */
    private HubClock clock;
    /**
     * What is running on the hub now, for a {@link Sequencer} trace: why a greenlet made ready now
     * became ready (a greenlet, {@link #TIMER}, a descriptor, a hub callback).
     */
    private Object cause;
    private static final String TIMER = "timer";

    /** Live greenlets (started or scheduled, not dead): an intrusive list, O(1) add and remove. */
    private Greenlet<?> liveHead;
    private int liveCount;
    /** Live virtual-thread greenlets currently blocked in a coop wait. */
    int coopWaiting;
    /** The greenlet that receives {@link LoopExit}: the body of {@link Coop#run}, else the main greenlet. */
    Greenlet<?> root;
    /** True while a hub callback runs: a callback must not block. */
    boolean inCallback;
    private long nextGreenletId = 1;

    /**
     * {@link System#nanoTime()} at the start of the current pass. Greenlets measure their timeouts
     * from it (as libuv and gevent do), so those that sleep the same time in one pass wake together,
     * in the order they went to sleep, however long the pass took.
     */
    long loopTime;
    /**
     * True until the clock is read in the current pass. System.nanoTime costs 25-70 ns on a VM
     * (55-70 ns measured here for clock_gettime through the vDSO), a sixth of a greenlet switch:
     * read it only when a timer or deadline needs it. All reads in one pass still see one value.
     */
    private boolean loopTimeStale;
    /** True while the loop runs timers and ready tasks (greenlets and callbacks). */
    private boolean inPass;
    private long switches; // written with setOpaque: read by the blocking monitor
    private long loops;
    private long callbacks;
    private volatile Duration maxBlockingTime;

    private Hub(Thread thread) {
        this.thread = thread;
        this.main = new MainGreenlet(this, thread);
        this.root = main;
        this.maxBlockingTime = Config.maxBlockingTime();
        useSchedule(Schedule.fromConfig());
    }

    /**
     * Runs this hub on {@code schedule} from now on: a fresh clock, generator and trace, greenlet
     * ids numbered again from the main greenlet's, so that runs of one seed compare line for line.
     * Only while no greenlet of the hub is alive (a schedule replays from its start). Returns what
     * puts the previous schedule back. Hub thread only.
     */
    Runnable useSchedule(Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        if (liveCount > 0) {
            throw new IllegalStateException("a hub's schedule can change only while none of its greenlets is alive; alive: " + greenlets());
        }
        Sequencer previousSequencer = sequencer;
        HubClock previousClock = clock;
        Schedule previousSchedule = this.schedule;
        this.schedule = schedule;
        MonitorHandoffs previousHandoffs = handoffs;
        sequencer = Sequencer.of(schedule);
        handoffs = sequencer != null && sequencer.reorders() ? new MonitorHandoffs() : null;
        if (schedule.virtualTime()) AgentSupport.virtualTimeStarts();
        clock = new HubClock(schedule.virtualTime());
        loopTime = clock.read();
        if (schedule.seed().isPresent()) nextGreenletId = main.id + 1;
        return () -> {
            if (sequencer != null) sequencer.close();
            sequencer = previousSequencer;
            handoffs = previousHandoffs;
            clock = previousClock;
            this.schedule = previousSchedule;
            loopTime = clock.read();
        };
    }

    /**
     * The hub's clock on the {@link System#nanoTime()} scale: the real one, or under a schedule
     * with virtual time the virtual one, which only moves when the hub is idle. What timeouts and
     * sleeps of this hub count on; what the agent shows greenlets as {@code System.nanoTime()}.
     */
    public long nanoTime() {
        return clock.read();
    }

    /** Wall-clock milliseconds as this hub's greenlets see them: {@link System#currentTimeMillis()}, moved by virtual time. */
    public long currentTimeMillis() {
        return clock.currentTimeMillis();
    }

    /** Wall-clock time in nanoseconds since the epoch as this hub's greenlets see it (moved by virtual time). */
    public long epochNanos() {
        return clock.epochNanos();
    }

    /** The schedule this hub runs on. */
    public Schedule schedule() {
        return schedule;
    }

    // ---------------------------------------------------------------- finding the hub

    /** The calling thread's hub, made on first use. Inside a greenlet, the hub that runs it. */
    public static Hub current() {
        Greenlet<?> g = Greenlet.running();
        if (g != null) return g.hub;
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Hub h = BY_CARRIER.get(Substrate.currentCarrierThread());
            if (h != null) return h;
            throw new IllegalStateException("coop is used from a virtual thread that is not a greenlet ("
                    + t + "): spawn greenlets with Coop.spawn, or start the JVM with -javaagent:coop.jar");
        }
        Hub h = THREAD_HUB.get();
        if (h == null) {
            Substrate.check();
            h = new Hub(t);
            THREAD_HUB.set(h);
            BY_CARRIER.put(t, h);
            // the agent starts the monitor itself (on by default there); the runtime alone on request
            if (Config.flag("monitor", false)) BlockingMonitor.start(true, null, null);
        }
        return h;
    }

    /** The hub of this OS thread if it has one, without making one. */
    static Hub ofCurrentThreadOrNull() {
        Greenlet<?> g = Greenlet.running();
        return g != null ? g.hub : THREAD_HUB.get();
    }

    /** True when the caller runs on this hub's thread (a greenlet of this hub, or its main greenlet). */
    public boolean isHubThread() {
        return Substrate.currentCarrierThread() == thread;
    }

    /**
     * Throws {@link IllegalStateException} unless the caller runs on this hub's thread: the check every
     * coop object makes before it touches state that only its hub may touch. {@code owner} names the
     * object in the message: a {@link CharSequence} is taken as its kind's name ("RLock"), any other
     * object by its class's simple name; {@code what} is the method called ("put").
     */
    public void checkHubThread(Object owner, String what) {
        if (!isHubThread()) {
            String kind = owner instanceof CharSequence cs ? cs.toString() : owner.getClass().getSimpleName();
            throw new IllegalStateException(kind + "." + what + " must be called on the hub thread " + thread.getName()
                    + " that owns it, not from " + Thread.currentThread()
                    + " (use Hub.post or an AsyncResult to hand work between threads)");
        }
    }

    /** The OS thread this hub runs on. */
    public Thread thread() {
        return thread;
    }

    /** The greenlet that stands for the hub thread's own code (gevent's main greenlet). */
    public Greenlet<?> mainGreenlet() {
        return main;
    }

    long nextId() {
        return nextGreenletId++;
    }

    // ---------------------------------------------------------------- scheduling

    /** The scheduler entry point (see {@code Greenlet.Scheduler}): on the hub thread it queues, from elsewhere it goes through the inbox. */
    void execute(Runnable task) {
        if (Substrate.currentCarrierThread() == thread) {
            ready.addLast(task);
        } else {
            inbox.add(task);
            wakeUp();
        }
    }

    /** {@link #execute} of greenlet {@code g}'s continuation: a sequencer that orders or traces by greenlet gets to see whose it is. */
    void execute(Greenlet<?> g, Runnable continuation) {
        Sequencer seq = sequencer;
        if (seq == null || !seq.wantsTasks()) {
            execute(continuation);
            return;
        }
        boolean here = Substrate.currentCarrierThread() == thread;
        Runnable task = seq.task(g, continuation, !here ? Thread.currentThread() : cause != null ? cause : main);
        if (here) {
            if (handoffs != null) handoffs.arrived(g);
            ready.addLast(task);
        } else {
            inbox.add(task);
            wakeUp();
        }
    }

    /**
     * Runs {@code action} on this hub as a callback, after what is ready now. Callable from any
     * thread: this is how other threads hand results to greenlets. Callbacks must not block.
     */
    public void post(Runnable action) {
        execute(new Callback(Objects.requireNonNull(action, "action")));
    }

    /** A task the hub runs itself (not a greenlet's continuation). */
    record Callback(Runnable action) implements Runnable {
        @Override
        public void run() {
            action.run();
        }
    }

    private void wakeUp() {
        if (sleeping) {
            LockSupport.unpark(thread);
            Selector s = selector;
            if (s != null) s.wakeup();
            FdPoller f = fdPoller;
            if (f != null) f.wakeup();
        }
    }

    /**
     * Marks work in flight elsewhere that will wake a greenlet of this hub through {@link #post}
     * (a thread-pool task, a lookup): while any is open the hub never raises {@link LoopExit}.
     * Close it once the wake-up has been posted.
     */
    public KeepAlive keepAlive() {
        keepAlive.incrementAndGet();
        return new KeepAlive(this);
    }

    /** See {@link Hub#keepAlive()}. */
    public static final class KeepAlive implements AutoCloseable {
        private Hub hub;

        private KeepAlive(Hub hub) {
            this.hub = hub;
        }

        @Override
        public synchronized void close() {
            if (hub != null) {
                hub.keepAlive.decrementAndGet();
                hub.wakeUp();
                hub = null;
            }
        }
    }

    /**
     * Sets a timer. {@code deadline} comes from {@link Coop#deadline}, which inside a pass counts
     * from the pass start: that keeps the firing order reproducible. The timer still never fires
     * before the deadline counted from now, so no wait ends early however long the pass has run.
     */
    TimerHeap.Timer schedule(long deadline, Runnable action) {
        long notBefore = inPass ? deadline + (clock.read() - loopTime()) : deadline;
        return timers.add(deadline, notBefore, action);
    }

    /** "Now" for deadlines: the start of the current pass while one runs, else the clock. */
    long now() {
        return inPass ? loopTime() : clock.read();
    }

    /** The pass's time: the clock as first read in this pass (the same value for the whole pass). */
    private long loopTime() {
        if (loopTimeStale) {
            loopTime = clock.read();
            loopTimeStale = false;
        }
        return loopTime;
    }

    // ---------------------------------------------------------------- live greenlets

    void addLive(Greenlet<?> g) {
        g.nextLive = liveHead;
        if (liveHead != null) liveHead.prevLive = g;
        liveHead = g;
        liveCount++;
    }

    void removeLive(Greenlet<?> g) {
        if (g.prevLive != null) g.prevLive.nextLive = g.nextLive;
        else if (liveHead == g) liveHead = g.nextLive;
        else return;
        if (g.nextLive != null) g.nextLive.prevLive = g.prevLive;
        g.prevLive = g.nextLive = null;
        liveCount--;
    }

    /** The live greenlets of this hub (started or scheduled to start, not yet dead), oldest first. */
    public List<Greenlet<?>> greenlets() {
        List<Greenlet<?>> all = new ArrayList<>(liveCount);
        for (Greenlet<?> g = liveHead; g != null; g = g.nextLive) all.add(g);
        Collections.reverse(all);
        return all;
    }

    // ---------------------------------------------------------------- the loop

    /**
     * One pass of the loop, run by the main greenlet while it waits: inbox, due timers, ready
     * tasks, then socket readiness, blocking only when nothing is ready and {@code waiting}'s
     * wait is not over.
     */
    void runOnce(MainGreenlet waiting) {
        for (;;) {
            loops++;
            loopTimeStale = true;
            transferInbox();
            inPass = true;
            try {
                runDueTimers();
                int n = ready.size();
                if (sequencer != null) sequencer.orderPass(ready, n);
                for (int i = 0; i < n; i++) runTask(ready.pollFirst());
            } finally {
                inPass = false;
            }
            transferInbox();
            if (ioWaiters > 0) sweepClosedChannels();
            boolean more = !ready.isEmpty();
            if (more || waiting.waitIsOver()) {
                if (ioWaiters > 0) pollIo(0);
                // more is ready and the main greenlet still waits: next pass at once, without the
                // trip back through MainGreenlet's block/parkSelf (Thread.interrupted, checks)
                if (more && !waiting.waitIsOver()) continue;
                return;
            }
            break;
        }
        long timeout = -1;
        TimerHeap.Timer next = timers.peek();
        if (next != null) timeout = Math.max(0, next.notBefore - clock.read());
        if (clock.isVirtual() && timeout != 0) {
            if (ioWaiters > 0) {
                pollIo(0); // a peer in this JVM may have written already: its data is what happens next
                if (!ready.isEmpty()) return;
            }
            if (timeout > 0 && inbox.isEmpty() && keepAlive.get() == 0) {
                // idle, and nothing in this JVM is on its way: the next timer is what happens next
                clock.jumpTo(next.notBefore);
                return;
            }
        }
        if (ioWaiters > 0 && (timeout < 0 || timeout > SWEEP_INTERVAL_NANOS)) timeout = SWEEP_INTERVAL_NANOS;
        // inbox last: a thread posts its wake-up before it closes its keep-alive, so once the
        // keep-alive reads 0 its wake-up is visible in the inbox
        if (timeout < 0 && ioWaiters == 0 && keepAlive.get() == 0 && liveCount == coopWaiting && inbox.isEmpty()) {
            raiseLoopExit(waiting);
            return;
        }
        sleep(timeout);
    }

    /** How long a greenlet that keeps finding work may hold its hub before a turn point yields: short for a light client's latency, long beside one request's work. */
    static final long TURN_NANOS = 200_000;

    /**
     * A turn point for a greenlet that keeps finding work (requests already buffered, reads that
     * find data, writes that never block, a selector with keys ready): when it has held its hub
     * for {@link #TURN_NANOS} without waiting, and something else could use the hub, it yields
     * once, behind every greenlet ready now (gevent's {@code sleep(0)}). A greenlet that waits
     * between its turn points (a connection serving one request at a time) never yields here, and
     * pays a clock read. Does nothing outside a greenlet.
     *
     * <pre>{@code
     * while (serveOne()) Hub.yieldIfHeld();   // one pipelining client cannot starve the others
     * }</pre>
     */
    public static void yieldIfHeld() {
        Greenlet<?> g = Greenlet.running();
        if (g == null || g.hub.pinned == g) return;
        long switches = g.hub.switchCount();
        if (g.hub.isSeeded()) {
            yieldByCount(g, switches);
            return;
        }
        long now = System.nanoTime();
        if (switches != g.yieldMark) { // it waited (or started) since its last turn point: a new hold
            g.yieldMark = switches;
            g.heldSince = now;
            return;
        }
        if (now - g.heldSince < TURN_NANOS || !g.hub.othersMayRun()) return;
        Thread.yield(); // a virtual thread's yield goes to its scheduler: this hub's ready queue
        g.yieldMark = g.hub.switchCount();
        g.heldSince = System.nanoTime();
    }

    /** Turn points in a row without a wait after which a seeded run's greenlet yields. */
    static final int SEEDED_TURN_POINTS = 16;

    /**
     * {@link #yieldIfHeld} in a seeded run: held for a count of turn points, not for a time, and
     * other work judged without the inbox (whose timing is not the run's), so the turns replay.
     * Uses {@code heldSince} as the count.
     */
    private static void yieldByCount(Greenlet<?> g, long switches) {
        if (switches != g.yieldMark) {
            g.yieldMark = switches;
            g.heldSince = 0;
            return;
        }
        Hub hub = g.hub;
        if (++g.heldSince < SEEDED_TURN_POINTS) return;
        TimerHeap.Timer next = hub.timers.peek();
        if (hub.ready.isEmpty() && hub.ioWaiters == 0 && (next == null || next.notBefore - hub.clock.read() > 0)) return;
        Thread.yield();
        g.yieldMark = hub.switchCount();
        g.heldSince = 0;
    }

    /**
     * True when something besides the running greenlet could use the hub now: a ready task, a
     * wake-up from another thread, a socket wait to poll, a due timer. Hub thread only.
     */
    boolean othersMayRun() {
        if (!ready.isEmpty() || !inbox.isEmpty() || ioWaiters > 0) return true;
        TimerHeap.Timer next = timers.peek();
        return next != null && next.notBefore <= clock.read();
    }

    private void transferInbox() {
        if (handoffs != null) handoffs.settle(this::takeInbox);
        takeInbox();
    }

    private void takeInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            if (handoffs != null && r instanceof Sequencer.Task t) handoffs.arrived(t.greenlet);
            ready.addLast(r);
        }
    }

    private void runDueTimers() {
        if (timers.size() == 0) return;
        long now = loopTime();
        TimerHeap.Timer t;
        cause = TIMER;
        while ((t = timers.pollDue(now)) != null) runCallback(t.action);
        cause = null;
        timers.endBatch();
    }

    private void runTask(Runnable task) {
        SWITCHES.setOpaque(this, switches + 1);
        if (sequencer != null) {
            sequencer.running(task);
            cause = task instanceof Sequencer.Task t ? t.greenlet : task;
        }
        if (task instanceof Callback cb) {
            runCallback(cb.action);
        } else {
            task.run(); // a greenlet's continuation: it handles its own failures
            if (handoffs != null && task instanceof Sequencer.Task t) handoffs.yielded(t.greenlet);
        }
        cause = null;
    }

    private void runCallback(Runnable action) {
        callbacks++;
        inCallback = true;
        try {
            action.run();
        } catch (Throwable t) {
            report("a hub callback (" + action + ") failed", t);
        } finally {
            inCallback = false;
        }
    }

    /** Waits for a timer, a socket or the inbox; {@code timeoutNanos < 0} means no timer is pending. */
    private void sleep(long timeoutNanos) {
        sleeping = true;
        clock.sleeping();
        if (sequencer != null) sequencer.flush();
        try {
            if (!inbox.isEmpty()) return;
            if (fdPoller != null) {
                if (selector != null) {
                    // a Selector applies new registrations and interest changes only inside a
                    // select: without this its epoll descriptor, which the FdPoller watches,
                    // would never turn ready for a channel registered since the last one
                    selector.selectNow();
                    dispatchIo();
                    if (!ready.isEmpty()) timeoutNanos = 0;
                }
                fdPoller.poll(timeoutNanos, selector);
            } else if (selector != null) {
                if (timeoutNanos == 0) selector.selectNow();
                else selector.select(timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
                dispatchIo();
            } else if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else if (timeoutNanos > 0) {
                LockSupport.parkNanos(this, timeoutNanos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the hub's selector failed", e);
        } finally {
            sleeping = false;
            loopTimeStale = true;
            clock.slept();
        }
    }

    private void raiseLoopExit(MainGreenlet waiting) {
        StringBuilder msg = new StringBuilder("nothing can wake the waiting greenlets (no ready greenlet, "
                + "timer, socket or other thread can end these waits): ");
        String sep = "";
        if (root == main) { // under Coop.run the hub thread only waits for the run's body: not worth naming
            msg.append(waiting.name()).append(" waits for ").append(waiting.waitDescription());
            sep = "; ";
        }
        for (Greenlet<?> g : greenlets()) {
            msg.append(sep).append(g.name()).append(" waits for ").append(g.waitDescription());
            sep = "; ";
        }
        LoopExit exit = new LoopExit(msg.toString());
        Greenlet<?> target = root;
        if (target == main || target.isDead() || !target.isWaiting()) throw exit;
        target.throwIn(exit);
    }

    // ---------------------------------------------------------------- pinned waits

    /**
     * The greenlet whose coop wait is being served in place by {@link #drivePinned}, or null. Read
     * by the blocking monitor: the hub is then held by that greenlet, not idle.
     */
    volatile Greenlet<?> pinned;

    /**
     * Serves the coop wait of greenlet {@code g} (the caller) that the JDK could not unmount: a
     * class initializer or a native frame on its stack pins its virtual thread to the hub's own
     * OS thread, so no other greenlet can run until this wait ends, and the hub loop, which
     * would end it, cannot run either. The hub's own machinery (inbox, timers, descriptors, hub
     * callbacks) is therefore run right here, on {@code g}'s stack, as an OS thread would wait
     * for the same thing; the continuations of other greenlets it wakes stay queued, in order,
     * for the loop. Returns when the wait is over (woken, timed out, thrown into, interrupted).
     *
     * <p>A wait that only another greenlet of this hub could end (no descriptor, no deadline,
     * no Timeout, no work in flight on another thread) can never be served: it throws
     * {@link LoopExit} at once, naming the frame that pins and the wait. False when this is not
     * such a wait (a JDK wait of {@code g}'s, or a park made while serving one): the JDK then
     * parks the OS thread itself, and another thread's unpark or the hub's wake-up ends it.
     */
    boolean drivePinned(Greenlet<?> g) {
        Waiter<?> w = g.waiting;
        if (w == null || pinned != null) return false;
        pinned = g;
        try {
            while (!pinnedWaitIsOver(g, w)) {
                if (!w.external && g.waitDeadline == NO_DEADLINE && g.armedTimeouts == 0
                        && keepAlive.get() == 0 && inbox.isEmpty()) {
                    throw new LoopExit(g.name() + " waits for " + w.describe() + " where it cannot give up the hub's thread ("
                            + pinningFrame() + "), and only another greenlet of this hub could end that wait: move the wait "
                            + "out of the static initializer or native callback, or give it a timeout");
                }
                loopTimeStale = true;
                transferInbox();
                inPass = true;
                try {
                    runDueTimers();
                    runCallbacksOnly();
                } finally {
                    inPass = false;
                }
                if (pinnedWaitIsOver(g, w)) break;
                if (ioWaiters > 0) sweepClosedChannels();
                long timeout = -1;
                TimerHeap.Timer next = timers.peek();
                if (next != null) timeout = Math.max(0, next.notBefore - clock.read());
                if (ioWaiters > 0 && (timeout < 0 || timeout > SWEEP_INTERVAL_NANOS)) timeout = SWEEP_INTERVAL_NANOS;
                // parks the OS thread itself when there is no descriptor to poll: LockSupport on
                // this pinned thread reaches the JDK's carrier park, since pinned is set
                sleep(timeout);
            }
        } finally {
            pinned = null;
        }
        return true;
    }

    private static boolean pinnedWaitIsOver(Greenlet<?> g, Waiter<?> w) {
        return w.woken || w.timedOut || g.hasPending() || (w.interruptible && Thread.currentThread().isInterrupted());
    }

    /** Runs the hub callbacks that are ready; greenlet continuations stay queued, in order, ahead of what they queue. */
    private void runCallbacksOnly() {
        int n = ready.size();
        if (n == 0) return;
        ArrayDeque<Runnable> kept = null;
        for (int i = 0; i < n; i++) {
            Runnable task = ready.pollFirst();
            if (task instanceof Callback cb) {
                SWITCHES.setOpaque(this, switches + 1);
                runCallback(cb.action);
            } else {
                if (kept == null) kept = new ArrayDeque<>();
                kept.addLast(task);
            }
        }
        if (kept != null) {
            while (!kept.isEmpty()) ready.addFirst(kept.pollLast());
        }
    }

    /** The frame that keeps the caller's virtual thread from unmounting, as best the stack shows it. */
    static String pinningFrame() {
        StackTraceElement nativeFrame = null;
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getMethodName().equals("<clinit>")) return "class initializer " + e;
            if (nativeFrame == null && e.isNativeMethod() && !e.getClassName().startsWith("java.lang.Thread")
                    && !e.getClassName().startsWith("jdk.internal.misc.")) {
                nativeFrame = e;
            }
        }
        return nativeFrame != null ? "native frame " + nativeFrame : "a native frame or critical section on its stack";
    }

    // ---------------------------------------------------------------- sockets

    /**
     * Blocks the current greenlet until {@code channel} (non-blocking) is ready for {@code ops}
     * ({@link SelectionKey#OP_READ} etc.) or the deadline passes; false on timeout.
     */
    public boolean waitIo(SelectableChannel channel, int ops, long deadline) {
        Greenlet<?> me = Greenlet.current();
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode to wait on the hub: " + channel);
        }
        IoWatch watch;
        try {
            if (selector == null) selector = Selector.open();
            SelectionKey key = channel.keyFor(selector);
            if (key == null || !key.isValid()) {
                if (key != null) selector.selectNow(); // flush the cancelled key before registering again
                key = channel.register(selector, 0, new IoWatch());
            }
            watch = (IoWatch) key.attachment();
            Waiter<Void> w = new Waiter<>(me, channel);
            w.external = true;
            watch.add(key, ops, w);
            if (!watch.listed) {
                watch.listed = true;
                watchedKeys.add(key);
            }
            ioWaiters++;
            try {
                return me.block(w, deadline);
            } finally {
                ioWaiters--;
                watch.leave(key, w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A channel closed by another greenlet while one waits on it is never reported ready by the
     * selector (its key is just cancelled): wake such waiters so their next read or write fails
     * with ClosedChannelException instead of hanging. Checked at most every SWEEP_INTERVAL_NANOS.
     */
    private void sweepClosedChannels() {
        long now = loopTime();
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) return;
        lastSweep = now;
        int kept = 0;
        for (int i = 0, n = watchedKeys.size(); i < n; i++) {
            SelectionKey key = watchedKeys.get(i);
            IoWatch watch = (IoWatch) key.attachment();
            if (!key.isValid()) watch.dispatch(key, -1);
            if (key.isValid() && !watch.waiters.isEmpty()) {
                watchedKeys.set(kept++, key);
            } else {
                watch.listed = false;
            }
        }
        watchedKeys.subList(kept, watchedKeys.size()).clear();
    }

    private void pollIo(long timeout) {
        if (fdPoller != null) {
            fdPoller.poll(0, selector);
            return;
        }
        selectNowAndDispatch();
    }

    /** True in a seeded run: whatever the hub decides must not depend on timing (see {@link Sequencer}). */
    boolean isSeeded() {
        return sequencer != null && sequencer.reorders();
    }

    /** Names the descriptor event being dispatched, for the trace ({@code fd < 0}: done). */
    void ioCause(int fd, int events) {
        if (sequencer == null) return;
        // not the number: the JVM opens files of its own (class loading, JIT) at times that vary
        cause = fd < 0 ? null : (events & (FdPoller.EPOLLERR | FdPoller.EPOLLHUP)) != 0 ? "descriptor hung up"
                : (events & FdPoller.EPOLLIN) != 0 ? "descriptor readable" : "descriptor writable";
    }

    /** Puts descriptors found ready together in the schedule's order (first in first out: as found). */
    void orderReady(int[] fds, int n) {
        if (sequencer != null) sequencer.orderReady(fds, n);
    }

    /** Looks at the hub's selector without blocking and wakes the greenlets whose channels are ready. */
    void selectNowAndDispatch() {
        if (selector == null) return;
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException("the hub's selector failed", e);
        }
        dispatchIo();
    }

    /**
     * Blocks the current greenlet until descriptor {@code fd} is ready for {@code event} (1 =
     * readable, 4 = writable), {@link FdPoller#stopAll} wakes it, its thread is interrupted, or
     * the deadline passes (false). For the agent's socket patch: see {@link AgentSupport#awaitFd}.
     */
    boolean awaitFd(int fd, int event, long deadline, java.util.function.BooleanSupplier stillWanted, Object what) {
        if (fdPoller == null) fdPoller = FdPoller.open(this);
        return fdPoller.await(fd, event, deadline, stillWanted, what);
    }

    private void dispatchIo() {
        var keys = selector.selectedKeys();
        if (keys.isEmpty()) return;
        for (SelectionKey key : keys) {
            IoWatch watch = (IoWatch) key.attachment();
            int readyOps = key.isValid() ? key.readyOps() : -1;
            watch.dispatch(key, readyOps);
        }
        keys.clear();
    }

    /**
     * The greenlets waiting on one channel, and the interest ops of its key. Interest is set when
     * a greenlet starts waiting and, to spare a key update per wait, cleared lazily: a greenlet
     * that was just woken for an op usually waits for it again at once (read, write, read...),
     * so an op is dropped only when the selector reports it ready and nobody waits for it.
     */
    private static final class IoWatch {
        /**
         * The ops kept after their waiters leave: the JDK reports them whenever the descriptor is
         * ready for them. Not OP_CONNECT: a connected socket stays writable but is never reported
         * connectable again, so a kept OP_CONNECT would wake the selector forever unseen.
         */
        private static final int KEPT = SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_ACCEPT;

        final IoWaiters waiters = new IoWaiters();
        /** The key's interest ops as last set here (only this class sets them). */
        private int interest;
        /** True while the key is in the hub's {@code watchedKeys}. */
        boolean listed;

        void add(SelectionKey key, int op, Waiter<Void> w) {
            if ((interest & op) != op) {
                key.interestOps(interest | op); // first: it throws for a cancelled key or a wrong op
                interest |= op;
            }
            waiters.add(w, op);
        }

        /** The end of {@code w}'s wait, woken or not. */
        void leave(SelectionKey key, Waiter<Void> w) {
            waiters.remove(w); // still there unless a dispatch woke it
            int drop = interest & ~KEPT & ~waiters.interest();
            if (drop != 0 && key.isValid()) key.interestOps(interest &= ~drop);
        }

        void dispatch(SelectionKey key, int readyOps) {
            int woken = waiters.wake(readyOps);
            if (!key.isValid()) return;
            // ready, nobody waits, and nobody was just woken for it: a level-triggered selector
            // would report it again on every select
            int unwanted = readyOps & interest & ~woken & ~waiters.interest();
            if (unwanted != 0) key.interestOps(interest &= ~unwanted);
        }
    }

    // ---------------------------------------------------------------- failures and introspection

    void report(String what, Throwable t) {
        log().log(System.Logger.Level.ERROR, what, t);
    }

    /**
     * How long a greenlet may run without coming back to the hub before the blocking monitor
     * reports it ({@code coop.maxBlockingTime}, default 100 ms).
     */
    public Duration maxBlockingTime() {
        return maxBlockingTime;
    }

    /** Sets {@link #maxBlockingTime()} for this hub (positive); the blocking monitor reads it at each check. */
    public void setMaxBlockingTime(Duration d) {
        Objects.requireNonNull(d, "maxBlockingTime");
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("maxBlockingTime must be positive: " + d);
        maxBlockingTime = d;
    }

    /** Tasks run so far (greenlet switches and callbacks); read from any thread. */
    public long switchCount() {
        return (long) SWITCHES.getOpaque(this);
    }

    /** Loop statistics: passes, callbacks, pending timers, live greenlets, ready tasks. */
    public String stats() {
        return "Hub[" + thread.getName() + ": loops=" + loops + ", switches=" + switchCount() + ", callbacks=" + callbacks
                + ", timers=" + timers.size() + ", live=" + liveCount + ", ready=" + ready.size()
                + ", ioWaiters=" + ioWaiters + ", keepAlive=" + keepAlive.get() + "]";
    }

    /** Every greenlet of this hub with its state and its stack (gevent's print_run_info). */
    public String dump() {
        StringBuilder sb = new StringBuilder(stats()).append('\n');
        appendGreenlet(sb, main);
        for (Greenlet<?> g : greenlets()) appendGreenlet(sb, g);
        return sb.toString();
    }

    /** Prints {@link #dump()} to {@code out}. */
    public void dump(java.io.PrintStream out) {
        out.print(dump());
    }

    private static void appendGreenlet(StringBuilder sb, Greenlet<?> g) {
        sb.append(g).append('\n');
        Thread t = g.thread;
        if (t == null) return;
        for (StackTraceElement e : t.getStackTrace()) sb.append("\tat ").append(e).append('\n');
    }

    @Override
    public String toString() {
        return stats();
    }
}
