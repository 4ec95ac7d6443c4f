package io.coop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The loop that runs every greenlet of one OS thread: a ready queue, a timer heap, I/O
 * readiness (an {@code IoDriver}) and a thread-safe inbox for wake-ups that come from other threads.
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

    private static final VarHandle NEXT_ID;

    static {
        try {
            NEXT_ID = MethodHandles.lookup().findVarHandle(Hub.class, "nextGreenletId", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The parts: RunQueue (what is ready, what other threads hand in), HubTimers (timers on the hub's
    // clock), LiveGreenlets, the I/O driver, and HubLoop, which runs the passes over them. HubRegistry
    // finds a thread's hub, TurnPoints decides yieldIfHeld; Hub is the public face and the way in.
    final Thread thread;
    final MainGreenlet main;
    final RunQueue queue;
    final HubTimers timers;
    final LiveGreenlets live;
    final HubLoop loop;
    /** Where greenlets wait for channels and descriptors, and the loop sleeps: made by the first I/O wait. */
    volatile IoDriver io;
    /** The schedule's decisions (pass order, trace); null on the default schedule, which needs none. */
    Sequencer sequencer;
    private Schedule schedule;
    /** The greenlet that receives {@link LoopExit}: the body of {@link Coop#run}, else the main greenlet. */
    Greenlet<?> root;
    /**
     * The greenlet whose coop wait is being served in place by {@link PinnedWait}, or null. Read
     * by the blocking monitor: the hub is then held by that greenlet, not idle.
     */
    volatile Greenlet<?> pinned;
    /** Taken atomically: a greenlet may be made for this hub on another thread (a thread started by another hub's greenlet). */
    @SuppressWarnings("unused") // through NEXT_ID
    private volatile long nextGreenletId = 1;
    /** The group whose hubs judge LoopExit together, or null (see {@link HubGroup}). */
    volatile HubGroup group;
    private volatile boolean retired;
    private volatile Duration maxBlockingTime;

    Hub(Thread thread) {
        this.thread = thread;
        this.queue = new RunQueue(this);
        this.timers = new HubTimers();
        this.live = new LiveGreenlets();
        this.loop = new HubLoop(this);
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
        if (live.count() > 0) {
            throw new IllegalStateException("a hub's schedule can change only while none of its greenlets is alive; alive: " + greenlets());
        }
        Sequencer previousSequencer = sequencer;
        HubClock previousClock = timers.clock();
        Schedule previousSchedule = this.schedule;
        MonitorHandoffs previousHandoffs = queue.handoffs;
        this.schedule = schedule;
        sequencer = Sequencer.of(schedule);
        queue.handoffs = sequencer != null && sequencer.reorders() ? new MonitorHandoffs() : null;
        if (schedule.virtualTime()) AgentSupport.virtualTimeStarts();
        timers.use(new HubClock(schedule.virtualTime()));
        if (schedule.seed().isPresent()) nextGreenletId = main.id + 1;
        return () -> {
            if (sequencer != null) sequencer.close();
            sequencer = previousSequencer;
            queue.handoffs = previousHandoffs;
            timers.use(previousClock);
            this.schedule = previousSchedule;
        };
    }

    /**
     * The hub's clock on the {@link System#nanoTime()} scale: the real one, or under a schedule
     * with virtual time the virtual one, which only moves when the hub is idle. What timeouts and
     * sleeps of this hub count on; what the agent shows greenlets as {@code System.nanoTime()}.
     */
    public long nanoTime() {
        return timers.clock().read();
    }

    /** Wall-clock milliseconds as this hub's greenlets see them: {@link System#currentTimeMillis()}, moved by virtual time. */
    public long currentTimeMillis() {
        return timers.clock().currentTimeMillis();
    }

    /** Wall-clock time in nanoseconds since the epoch as this hub's greenlets see it (moved by virtual time). */
    public long epochNanos() {
        return timers.clock().epochNanos();
    }

    /** The schedule this hub runs on. */
    public Schedule schedule() {
        return schedule;
    }

    /** True in a seeded run: whatever the hub decides must not depend on timing (see {@link Sequencer}). */
    boolean isSeeded() {
        return sequencer != null && sequencer.reorders();
    }

    // ---------------------------------------------------------------- finding the hub

    /** The calling thread's hub, made on first use. Inside a greenlet, the hub that runs it. */
    public static Hub current() {
        return HubRegistry.current();
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
                    + " that owns it, not from " + Thread.currentThread() + ": a greenlet uses the primitives of its own hub"
                    + " (gevent's \"cannot switch to a different thread\"); hand work between hubs and threads with"
                    + " Hub.post, AsyncResult.spawnOn, or Event/AsyncResult set(), which any thread may call");
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
        return (long) NEXT_ID.getAndAdd(this, 1L);
    }

    /** This hub's thread has ended: forget it (the blocking monitor and {@link #all()} no longer see it). */
    void retire() {
        retired = true;
        HubRegistry.forget(this);
    }

    /** Every hub whose thread is running (one per OS thread that used coop). Any thread. */
    public static List<Hub> all() {
        return HubRegistry.all();
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * The scheduler entry point for greenlet {@code g}'s continuation (see {@code Greenlet.Scheduler}),
     * from any thread: a sequencer that orders or traces by greenlet gets to see whose it is.
     */
    void execute(Greenlet<?> g, Runnable continuation) {
        Sequencer seq = sequencer;
        if (seq == null || !seq.wantsTasks()) {
            queue.addContinuation(g, continuation);
            return;
        }
        boolean here = Substrate.currentCarrierThread() == thread;
        Runnable task = seq.task(g, continuation, !here ? Thread.currentThread() : loop.cause != null ? loop.cause : main);
        if (here) {
            queue.addHere(g, task);
        } else {
            queue.addFromElsewhere(task);
        }
    }

    /**
     * Runs {@code action} on this hub as a callback, after what is ready now. Callable from any
     * thread: this is how other threads hand results to greenlets. Callbacks must not block.
     */
    public void post(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (retired) throw new IllegalStateException("cannot post to " + thread.getName() + "'s hub: its thread has ended");
        queue.add(new RunQueue.Callback(action));
    }

    /**
     * Marks work in flight elsewhere that will wake a greenlet of this hub through {@link #post}
     * (a thread-pool task, a lookup): while any is open the hub never raises {@link LoopExit}.
     * Close it once the wake-up has been posted.
     */
    public KeepAlive keepAlive() {
        queue.keepAlive.incrementAndGet();
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
                hub.queue.keepAlive.decrementAndGet();
                hub.queue.wakeUp();
                hub = null;
            }
        }
    }

    /** The live greenlets of this hub (started or scheduled to start, not yet dead), oldest first. */
    public List<Greenlet<?>> greenlets() {
        return live.list();
    }

    /**
     * A turn point for a greenlet that keeps finding work (requests already buffered, reads that
     * find data, writes that never block, a selector with keys ready): when it has held its hub
     * for {@link TurnPoints#TURN_NANOS} (0.2 ms) without waiting, and something else could use the
     * hub, it yields once, behind every greenlet ready now (gevent's {@code sleep(0)}). A greenlet
     * that waits between its turn points (a connection serving one request at a time) never yields
     * here, and pays a clock read. Does nothing outside a greenlet.
     *
     * <pre>{@code
     * while (serveOne()) Hub.yieldIfHeld();   // one pipelining client cannot starve the others
     * }</pre>
     */
    public static void yieldIfHeld() {
        Greenlet<?> g = Greenlet.running();
        if (g != null) TurnPoints.pass(g);
    }

    // ---------------------------------------------------------------- I/O

    /**
     * Blocks the current greenlet until {@code channel} (non-blocking) is ready for {@code ops}
     * ({@link SelectionKey#OP_READ} etc.) or the deadline passes; false on timeout. A channel
     * closed meanwhile (by another greenlet) ends the wait too, so that the next operation on it fails.
     */
    public boolean waitIo(SelectableChannel channel, int ops, long deadline) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode to wait on the hub: " + channel);
        }
        return awaitIo(Greenlet.current(), channel, -1, ops, deadline, null, channel);
    }

    /**
     * The one I/O wait: blocks {@code me} (the caller, a greenlet of this hub) until
     * {@code channel} is ready for {@code ops} (SelectionKey ops), or, {@code channel} being null,
     * until descriptor {@code fd} is ready for {@code ops} (POLLIN/POLLOUT), is stopped
     * ({@link EpollDriver#stopAll}) or {@code me}'s thread is interrupted; or until the deadline
     * (false). {@code stillWanted} (or null) is asked once registered, so a close racing with the
     * registration is not missed. {@code what} describes the wait in dumps (text only when shown).
     * Kept shallow on purpose: its frames are copied into every parked connection's stack.
     */
    boolean awaitIo(Greenlet<?> me, SelectableChannel channel, int fd, int ops, long deadline, BooleanSupplier stillWanted,
            Object what) {
        IoDriver d = io;
        if (d == null) io = d = IoDriver.open(thread, channel == null);
        else if (channel == null && !d.descriptors()) io = d = d.handOver(EpollDriver.open(thread));
        Waiter<Void> w = new Waiter<>(me, what);
        w.external = true;
        w.interruptible = channel == null; // the JDK's socket waits end on interrupt; coop's own do not
        if (!d.add(channel, fd, ops, w)) return true;
        try {
            if (stillWanted != null && !stillWanted.getAsBoolean()) return true;
            return me.block(w, deadline);
        } finally {
            io.leave(w); // the driver it waits in now, should a hand-over have moved it
        }
    }

    /** The I/O waits in progress: each can still wake a greenlet. */
    int ioWaiters() {
        IoDriver d = io;
        return d == null ? 0 : d.waiters();
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
        return loop.switchCount();
    }

    /** Loop statistics: passes, callbacks, pending timers, live greenlets, ready tasks. */
    public String stats() {
        return "Hub[" + thread.getName() + ": loops=" + loop.loops + ", switches=" + switchCount() + ", callbacks=" + loop.callbacks
                + ", timers=" + timers.size() + ", live=" + live.count() + ", ready=" + queue.ready.size() + ", preempted=" + queue.preempted.size()
                + ", io=" + (io == null ? "none" : io.kind()) + ", ioWaiters=" + ioWaiters() + ", keepAlive=" + queue.keepAlive.get() + "]";
    }

    /** {@link #dump()} of every running hub (see {@link #all()}), one after the other. */
    public static String dumpAll() {
        StringBuilder sb = new StringBuilder();
        for (Hub h : all()) sb.append(h.dump());
        return sb.toString();
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
