package io.coop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
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

    private static final ThreadLocal<Hub> THREAD_HUB = new ThreadLocal<>();
    static final ConcurrentHashMap<Thread, Hub> BY_CARRIER = new ConcurrentHashMap<>();
    private static final VarHandle SWITCHES, NEXT_ID;

    static {
        try {
            SWITCHES = MethodHandles.lookup().findVarHandle(Hub.class, "switches", long.class);
            NEXT_ID = MethodHandles.lookup().findVarHandle(Hub.class, "nextGreenletId", long.class);
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
    /** Where greenlets wait for channels and descriptors, and the loop sleeps: made by the first I/O wait. */
    private volatile IoDriver io;
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
     * became ready (a greenlet, {@link #TIMER}, {@link #IO}, a hub callback).
     */
    private Object cause;
    private static final String TIMER = "timer", IO = "descriptor ready";

    /** Live greenlets (started or scheduled, not dead): an intrusive list, O(1) add and remove. */
    private Greenlet<?> liveHead;
    private int liveCount;
    /** Live virtual-thread greenlets currently blocked in a coop wait. */
    int coopWaiting;
    /** The greenlet that receives {@link LoopExit}: the body of {@link Coop#run}, else the main greenlet. */
    Greenlet<?> root;
    /** True while a hub callback runs: a callback must not block. */
    boolean inCallback;
    /** Taken atomically: a greenlet may be made for this hub on another thread (a thread started by another hub's greenlet). */
    @SuppressWarnings("unused") // through NEXT_ID
    private volatile long nextGreenletId = 1;
    /** The group whose hubs judge LoopExit together, or null (see {@link HubGroup}). */
    volatile HubGroup group;
    /** Set by {@link HubGroup#allIdle} while this hub's loop has nothing that could end a wait. */
    volatile boolean idleInGroup;
    /** Set by the hub of the group that found every hub stuck: the waits of all, to raise LoopExit with here too. */
    volatile String groupExit;
    /** True for a hub thread whose own code only waits for work to be posted (a {@link HubGroup}'s thread). */
    boolean waitsOnlyForWork;

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
        MonitorHandoffs previousHandoffs = handoffs;
        this.schedule = schedule;
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

    /** True in a seeded run: whatever the hub decides must not depend on timing (see {@link Sequencer}). */
    boolean isSeeded() {
        return sequencer != null && sequencer.reorders();
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

    /**
     * True when a wait on this hub, once nothing can wake it, is a program stuck rather than a
     * hub waiting for work: any live greenlet, or a hub thread whose own code waits for something.
     */
    boolean hasWaitsOfItsOwn() {
        return liveCount > 0 || !waitsOnlyForWork;
    }

    /** This hub's thread has ended: forget it (the blocking monitor and {@link #all()} no longer see it). */
    void retire() {
        retired = true;
        BY_CARRIER.remove(thread, this);
    }

    private volatile boolean retired;

    /** Every hub whose thread is running (one per OS thread that used coop). Any thread. */
    public static List<Hub> all() {
        return List.copyOf(BY_CARRIER.values());
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
        Objects.requireNonNull(action, "action");
        if (retired) throw new IllegalStateException("cannot post to " + thread.getName() + "'s hub: its thread has ended");
        execute(new Callback(action));
    }

    /** A task the hub runs itself (not a greenlet's continuation). */
    record Callback(Runnable action) implements Runnable {
        @Override
        public void run() {
            action.run();
        }
    }

    private void wakeUp() {
        if (sleeping) forceWakeUp();
    }

    /** Ends the loop's sleep now or, should it be about to sleep, its next one. */
    void forceWakeUp() {
        LockSupport.unpark(thread);
        IoDriver d = io; // read after sleeping: the driver the loop sleeps in
        if (d != null) d.wakeup();
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
     * tasks, then I/O readiness, blocking only when nothing is ready and {@code waiting}'s
     * wait is not over.
     */
    void runOnce(MainGreenlet waiting) {
        if (idleInGroup) group.busyAgain(this);
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
            boolean more = !ready.isEmpty();
            if (more || waiting.waitIsOver()) {
                if (ioWaiters() > 0) pollIoNow();
                // more is ready and the main greenlet still waits: next pass at once, without the
                // trip back through Greenlet.block (Thread.interrupted, checks)
                if (more && !waiting.waitIsOver()) continue;
                return;
            }
            break;
        }
        long timeout = untilNextTimer();
        if (clock.isVirtual() && timeout != 0) {
            if (ioWaiters() > 0) {
                pollIoNow(); // a peer in this JVM may have written already: its data is what happens next
                if (!ready.isEmpty()) return;
            }
            if (timeout > 0 && inbox.isEmpty() && keepAlive.get() == 0) {
                // idle, and nothing in this JVM is on its way: the next timer is what happens next
                clock.jumpTo(timers.peek().notBefore);
                return;
            }
        }
        // an I/O waiter can still be woken; inbox last: a thread posts its wake-up before it
        // closes its keep-alive, so once the keep-alive reads 0 its wake-up is visible in the inbox
        if (timeout < 0 && ioWaiters() == 0 && keepAlive.get() == 0 && liveCount == coopWaiting && inbox.isEmpty()) {
            HubGroup g = group; // in a group, only when no hub of it can wake another
            String waits = g == null ? waitsText() : groupExit != null ? groupExit : g.allIdle(this);
            if (waits != null && hasWaitsOfItsOwn()) {
                groupExit = null;
                raiseLoopExit(waits);
                return;
            }
        }
        groupExit = null;
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

    /**
     * True when something besides the running greenlet could use the hub now: a ready task, a
     * wake-up from another thread, a socket wait to poll, a due timer. Hub thread only.
     */
    boolean othersMayRun() {
        if (!ready.isEmpty() || !inbox.isEmpty() || ioWaiters() > 0) return true;
        TimerHeap.Timer next = timers.peek();
        return next != null && next.notBefore <= clock.read();
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
        if (hub.ready.isEmpty() && hub.ioWaiters() == 0 && (next == null || next.notBefore - hub.clock.read() > 0)) return;
        Thread.yield();
        g.yieldMark = hub.switchCount();
        g.heldSince = 0;
    }

    /**
     * Looks at I/O without waiting. In a seeded run it looks again until a look finds nothing
     * new: loopback data and connects between this JVM's own sockets are delivered by the
     * kernel's network softirq, which a busy machine defers to a kernel thread, and what a pass
     * holds must not depend on how far it got.
     */
    private void pollIoNow() {
        Object was = cause;
        cause = IO;
        try {
            io.poll(0);
            if (!isSeeded()) return;
            for (int round = 0; round < SETTLE_ROUNDS; round++) {
                int before = ready.size();
                Thread.yield();
                io.poll(0);
                if (ready.size() == before) return;
            }
        } finally {
            cause = was;
        }
    }

    private static final int SETTLE_ROUNDS = 8;

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

    /** Nanoseconds until the next timer may fire (0: due), or -1 when no timer is pending. */
    private long untilNextTimer() {
        TimerHeap.Timer next = timers.peek();
        return next == null ? -1 : Math.max(0, next.notBefore - clock.read());
    }

    /** Waits for a timer, I/O or the inbox; {@code timeoutNanos < 0} means no timer is pending. */
    private void sleep(long timeoutNanos) {
        sleeping = true;
        clock.sleeping();
        if (sequencer != null) sequencer.flush();
        Object was = cause;
        cause = IO;
        try {
            if (!inbox.isEmpty()) return;
            IoDriver d = io;
            if (d != null) {
                d.poll(timeoutNanos);
            } else if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else if (timeoutNanos > 0) {
                LockSupport.parkNanos(this, timeoutNanos);
            }
        } finally {
            cause = was;
            sleeping = false;
            loopTimeStale = true;
            clock.slept();
        }
    }

    /** What this hub's greenlets wait for, for a LoopExit: "main waits for X; worker waits for Y" (hub thread, or while it is stuck). */
    String waitsText() {
        StringBuilder msg = new StringBuilder();
        String sep = "";
        if (root == main) { // under Coop.run the hub thread only waits for the run's body: not worth naming
            msg.append(main.name()).append(" waits for ").append(main.waitDescription());
            sep = "; ";
        }
        for (Greenlet<?> g : greenlets()) {
            msg.append(sep).append(g.name()).append(" waits for ").append(g.waitDescription());
            sep = "; ";
        }
        return msg.toString();
    }

    private void raiseLoopExit(String waits) {
        LoopExit exit = new LoopExit("nothing can wake the waiting greenlets (no ready greenlet, "
                + "timer, socket or other thread can end these waits): " + waits);
        Greenlet<?> target = root;
        if (target == main || target.isDead() || !target.isWaiting()) throw exit;
        target.throwIn(exit);
    }

    // ---------------------------------------------------------------- pinned waits

    /**
     * The greenlet whose coop wait is being served in place by {@link PinnedWait}, or null. Read
     * by the blocking monitor: the hub is then held by that greenlet, not idle.
     */
    volatile Greenlet<?> pinned;

    /** True when no work is in flight on another thread that could still wake a greenlet of this hub. */
    boolean nothingInFlight() {
        return keepAlive.get() == 0 && inbox.isEmpty();
    }

    /**
     * For {@link PinnedWait}: the inbox, due timers and the hub callbacks that are ready, run on a
     * pinned greenlet's stack; greenlet continuations stay queued, in order, ahead of what they queue.
     */
    void runCallbacksPass() {
        loopTimeStale = true;
        transferInbox();
        inPass = true;
        try {
            runDueTimers();
            int n = ready.size();
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
        } finally {
            inPass = false;
        }
    }

    /**
     * For {@link PinnedWait}: sleeps until the next timer, I/O or a post. Without an I/O driver it
     * parks the OS thread itself: LockSupport on a pinned thread reaches the JDK's carrier park,
     * since {@link #pinned} is set.
     */
    void sleepUntilNextTimer() {
        sleep(untilNextTimer());
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
    private int ioWaiters() {
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
        return (long) SWITCHES.getOpaque(this);
    }

    /** Loop statistics: passes, callbacks, pending timers, live greenlets, ready tasks. */
    public String stats() {
        return "Hub[" + thread.getName() + ": loops=" + loops + ", switches=" + switchCount() + ", callbacks=" + callbacks
                + ", timers=" + timers.size() + ", live=" + liveCount + ", ready=" + ready.size()
                + ", io=" + (io == null ? "none" : io.kind()) + ", ioWaiters=" + ioWaiters() + ", keepAlive=" + keepAlive.get() + "]";
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
