package io.coop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A lightweight thread of control that runs cooperatively with the others on its hub's OS
 * thread, switching only where it waits (gevent's {@code Greenlet}). Underneath it is a virtual
 * thread whose scheduler is the hub, so all of java.util.concurrent, monitors and
 * {@code ThreadLocal} work in it as they do in any thread.
 *
 * <pre>{@code
 * Greenlet<String> g = new Greenlet<>(() -> { Coop.sleep(100); return "done"; });
 * g.start();                          // scheduled, not switched to
 * g.join();
 * System.out.println(g.value());      // done
 *
 * class Worker extends Greenlet<Integer> {
 *     @Override protected Integer run() { return 42; }
 * }
 * }</pre>
 *
 * <p>A greenlet ends successful (with its value), or failed (with its exception, which the hub
 * also reports once). {@link #kill()} raises {@link GreenletExit} at its blocking point; a greenlet
 * that ends with it counts as successful and its value is the {@code GreenletExit}. Links run on
 * the hub in the order they were added, once the greenlet is dead. Greenlet-local data is plain
 * {@link ThreadLocal}: each greenlet is a thread.
 *
 * @param <T> the type of the value the greenlet returns
 */
public class Greenlet<T> implements Future<T>, Waitable {
    /*
     * Greenlet states and transitions. Every transition is made on the hub thread (a greenlet's
     * body runs there too), so the state is a plain field; moveTo checks each against this table.
     *
     *          from -> to          by
     *           NEW -> SCHEDULED   startLater: a start timer is set
     *           NEW -> STARTED     start: its virtual thread is started (main greenlet: when made)
     *     SCHEDULED -> STARTED     the start timer fires
     *       STARTED -> DEAD        its body returns or throws (GreenletExit counts as returning)
     *       STARTED -> CANCELLING  cancel: GreenletExit("cancelled") is thrown in; it runs to its end
     *    CANCELLING -> CANCELLED   its body returns or throws
     *           NEW -> DEAD        kill before the start: it never runs
     *     SCHEDULED -> DEAD        kill before the timer fires: the timer is cancelled, it never runs
     *           NEW -> CANCELLED   cancel before the start: it never runs
     *     SCHEDULED -> CANCELLED   cancel before the timer fires
     *
     * DEAD and CANCELLED are final: the greenlet is dead (ready), its links run once. While it
     * is STARTED or CANCELLING it is ready to run, running, or blocked: that is its virtual
     * thread's state, and `waiting` holds the coop wait it is blocked in (the Waiter itself, which
     * a wake-up must match, so no state duplicates it). startTimer is the timer of SCHEDULED.
     */
    static final int NEW = 0;
    static final int SCHEDULED = 1;
    static final int STARTED = 2;
    static final int CANCELLING = 3;
    static final int DEAD = 4;      // final
    static final int CANCELLED = 5; // final
    static final String[] STATE_NAMES = {"NEW", "SCHEDULED", "STARTED", "CANCELLING", "DEAD", "CANCELLED"};
    /** The table above: bit {@code 1 << to} of {@code NEXT[from]} is set for each allowed transition. */
    private static final int[] NEXT = {
        1 << SCHEDULED | 1 << STARTED | 1 << DEAD | 1 << CANCELLED, // NEW
        1 << STARTED | 1 << DEAD | 1 << CANCELLED,                  // SCHEDULED
        1 << DEAD | 1 << CANCELLING,                                // STARTED
        1 << CANCELLED,                                             // CANCELLING
        0,                                                          // DEAD
        0,                                                          // CANCELLED
    };

    private int state = NEW;
    private TimerHeap.Timer startTimer;

    final Hub hub;
    final long id;
    private final Callable<? extends T> body;
    Thread thread;
    private String name;
    private Object value;
    private Throwable exception;

    /** The coop wait this greenlet is blocked in, or null. */
    Waiter<?> waiting;
    /** The deadline of {@link #waiting} ({@link Hub#NO_DEADLINE}: none). */
    long waitDeadline = Hub.NO_DEADLINE;
    /** The hub's switch count when this greenlet last passed a turn point, and since when it has held the hub (see {@link Hub#yieldIfHeld}). */
    long yieldMark = -1, heldSince;
    /** {@link Timeout}s started in this greenlet and still counting down: each may end a wait. */
    int armedTimeouts;
    /** Exceptions thrown in (kill, Timeout) and not yet raised, oldest first. */
    private ArrayDeque<Throwable> pending;
    /** Links and joiners, made on first use. */
    private Links links;

    Greenlet<?> prevLive, nextLive;

    /** A greenlet that will run {@code body}; call {@link #start()} to schedule it. */
    public Greenlet(Callable<? extends T> body) {
        this(Hub.current(), Objects.requireNonNull(body, "body"));
    }

    /** For subclasses that override {@link #run()}. */
    protected Greenlet() {
        this(Hub.current(), null);
    }

    /**
     * A greenlet of {@code hub} that will run {@code body}, made on any thread; start it on the
     * hub (from one of its greenlets, or through {@link Hub#post}).
     */
    protected Greenlet(Hub hub, Callable<? extends T> body) {
        this.hub = hub;
        this.body = body;
        this.id = hub.nextId();
    }

    /** The running greenlet: the main greenlet when called from a hub thread's own code. */
    public static Greenlet<?> current() {
        Greenlet<?> g = running();
        return g != null ? g : Hub.current().main;
    }

    /**
     * The greenlet whose virtual thread calls, or null (a hub thread's own code, any other
     * thread). Found from the thread's scheduler, which is the greenlet's {@link Scheduler}, not
     * from a ThreadLocal: a greenlet's ThreadLocal map cost 136 B, 9% of a parked greenlet. The
     * thread check matters: a virtual thread started inside a greenlet without a scheduler of
     * its own inherits the greenlet's, and is not that greenlet.
     */
    static Greenlet<?> running() {
        Thread t = Thread.currentThread();
        if (!t.isVirtual()) return null; // platform threads never touch Substrate
        return Substrate.schedulerOf(t) instanceof Scheduler s && s.greenlet.thread == t ? s.greenlet : null;
    }

    /** What the greenlet does; subclasses override it instead of passing a Callable. */
    protected T run() throws Exception {
        if (body == null) {
            throw new UnsupportedOperationException(getClass().getName() + " must override run() or be given a Callable");
        }
        return body.call();
    }

    // ---------------------------------------------------------------- starting

    /** Schedules the greenlet to run; it starts when the current greenlet next waits. Idempotent. */
    public Greenlet<T> start() {
        if (state != NEW) return this;
        hub.checkHubThread("Greenlet", "start");
        moveTo(STARTED);
        hub.live.add(this);
        launch();
        return this;
    }

    /** Schedules the greenlet to start after {@code delay}. */
    public Greenlet<T> startLater(Duration delay) {
        long deadline = Coop.deadline(delay, "delay");
        hub.checkHubThread("Greenlet", "startLater");
        if (state != NEW) return this;
        moveTo(SCHEDULED);
        hub.live.add(this);
        startTimer = hub.timers.schedule(deadline, () -> {
            startTimer = null;
            moveTo(STARTED);
            launch();
        });
        return this;
    }

    private void launch() {
        // the thread carries a name only once one is set: "Greenlet-N" is made when shown (56 B a greenlet)
        Scheduler s = new Scheduler(this);
        thread = Substrate.newVirtualThread(s, name != null ? name : "", s);
        thread.start();
    }

    /**
     * The scheduler of a greenlet's virtual thread, and its task (one 16 B object for both): it
     * hands the thread's continuation to the hub, and tells {@link #running()} whose thread it is.
     * The JDK calls {@code execute} from any thread, pinned, so it must never park: the hub's
     * {@code execute} queues (on the hub thread) or adds to the inbox and wakes the hub.
     */
    static final class Scheduler implements Executor, Runnable {
        final Greenlet<?> greenlet;

        Scheduler(Greenlet<?> greenlet) {
            this.greenlet = greenlet;
        }

        @Override
        public void execute(Runnable continuation) {
            greenlet.hub.execute(greenlet, continuation);
        }

        @Override
        public void run() {
            greenlet.enter();
        }
    }

    /** The body of the greenlet's virtual thread. */
    private void enter() {
        Object result = null;
        Throwable failure = null;
        try {
            Throwable early = pollPending(); // killed after start() but before it first ran
            if (early != null) throw early;
            result = run();
        } catch (GreenletExit e) {
            result = e;
        } catch (Throwable t) {
            failure = t;
        }
        finish(result, failure);
    }

    private void finish(Object result, Throwable failure) {
        value = failure == null ? result : null;
        exception = failure;
        moveTo(state == CANCELLING ? CANCELLED : DEAD);
        try {
            if (failure != null && this != hub.root) { // the root's failure is its caller's: Coop.run rethrows it
                hub.report("greenlet '" + name() + "' failed", failure);
            }
        } finally {
            // only now: logging the report may park this thread (a handler's lock), a JDK wait of a
            // greenlet that must still count as live, or the hub would take it for a deadlock
            hub.live.remove(this);
        }
        if (links != null) links.ready();
    }

    /** Makes the transition from the current state to {@code next}, which the table above must allow. Hub thread only. */
    void moveTo(int next) {
        int from = state;
        if (!allows(from, next)) {
            throw new IllegalStateException(this + " cannot go from " + STATE_NAMES[from] + " to " + STATE_NAMES[next]);
        }
        state = next;
    }

    /** True when the table above has the transition {@code from -> to}. */
    static boolean allows(int from, int to) {
        return (NEXT[from] & 1 << to) != 0;
    }

    /** The state's name in the table above. */
    String stateName() {
        return STATE_NAMES[state];
    }

    // ---------------------------------------------------------------- waiting (coop's one blocking point)

    /**
     * Blocks this greenlet (which must be the caller) until {@code w} is woken, the deadline
     * passes (false) or an exception is thrown in. A woken wait completes even if an exception
     * arrived too; the exception then waits for the next blocking point.
     */
    final boolean block(Waiter<?> w, long deadline) {
        if (pending != null) raisePending();
        if (hub.loop.inCallback) throw callbackMustNotBlock();
        if (w.woken) return true;
        TimerHeap.Timer timer = null;
        if (deadline != Hub.NO_DEADLINE) {
            if (deadline - hub.timers.now() <= 0) return false;
            timer = waitTimer(w, deadline);
        }
        waiting = w;
        waitDeadline = deadline;
        enterWait();
        boolean interrupted = false;
        try {
            while (!w.woken && !w.timedOut && (pending == null || pending.isEmpty())) {
                if (w.interruptible && (interrupted || Thread.currentThread().isInterrupted())) break;
                // parks right here, not in a method of its own: every frame under the park is
                // copied into each parked greenlet's stack (the interrupt flag is cleared to park)
                interrupted |= Thread.interrupted();
                if (this instanceof MainGreenlet m) m.runHub();
                else LockSupport.park(this);
            }
        } finally {
            waiting = null;
            leaveWait();
            if (timer != null) timer.cancel();
            if (interrupted) thread.interrupt();
        }
        if (w.woken) return true;
        raisePending();
        return false;
    }

    // block's rare paths, kept out of it: a small block is inlined into the wait that calls it,
    // one compiled frame instead of two under every parked greenlet

    private TimerHeap.Timer waitTimer(Waiter<?> w, long deadline) {
        return hub.timers.schedule(deadline, () -> {
            w.timedOut = true;
            if (waiting == w) unparkSelf();
        });
    }

    private static IllegalStateException callbackMustNotBlock() {
        return new IllegalStateException("a hub callback (a link or ready listener) must not block; spawn a greenlet for blocking work");
    }

    /** Counts this greenlet as blocked in a coop wait (for {@link LoopExit}). */
    void enterWait() {
        hub.live.coopWaiting++;
    }

    void leaveWait() {
        hub.live.coopWaiting--;
    }

    void unparkSelf() {
        LockSupport.unpark(thread);
    }

    /** Called by {@link Waiter#wake} on the hub thread. */
    final void wokenUp(Waiter<?> w) {
        if (waiting == w) unparkSelf();
    }

    boolean isWaiting() {
        return waiting != null;
    }

    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /** For the main greenlet, which is running from the moment it exists. */
    void markStarted() {
        moveTo(STARTED);
    }

    String waitDescription() {
        Waiter<?> w = waiting;
        if (w != null) return w.describe();
        if (state < STARTED) return "its start";
        Thread t = thread;
        return t == null ? "its start" : "JDK " + t.getState() + " (not a coop wait)";
    }

    private void raisePending() {
        Throwable t = pollPending();
        if (t != null) throw Coop.sneaky(t);
    }

    private Throwable pollPending() {
        return pending == null ? null : pending.pollFirst();
    }

    /**
     * Raises {@code t} in this greenlet at its blocking point (now, if it is blocked in a coop
     * wait; otherwise at its next one). Hub thread only.
     */
    final void throwIn(Throwable t) {
        if (pending == null) pending = new ArrayDeque<>(2);
        pending.addLast(t);
        if (waiting != null) {
            unparkSelf();
        } else if (thread != null && this != current()) {
            Thread.State s = thread.getState();
            // blocked in a JDK wait that coop does not own: interrupting is the JDK's way to end it
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) thread.interrupt();
        }
    }

    /** Withdraws an exception thrown in but not raised yet (a cancelled Timeout); true if it was pending. */
    final boolean withdraw(Throwable t) {
        return pending != null && pending.removeIf(p -> p == t);
    }

    // ---------------------------------------------------------------- killing

    /** Raises {@link GreenletExit} in the greenlet and waits until it is dead. */
    public void kill() {
        kill(new GreenletExit(), true, null);
    }

    /** Raises {@code exception} in the greenlet and waits until it is dead. */
    public void kill(Throwable exception) {
        kill(exception, true, null);
    }

    /**
     * Raises {@code exception} in the greenlet at its blocking point. With {@code block}, waits
     * for it to die, up to {@code timeout} (null: no limit). A greenlet killed before it first ran
     * never runs. Killing a dead greenlet does nothing; killing the current one throws at once.
     */
    public void kill(Throwable exception, boolean block, Duration timeout) {
        Objects.requireNonNull(exception, "exception");
        long deadline = Coop.deadline(timeout, "timeout");
        if (isDead()) return;
        hub.checkHubThread("Greenlet", "kill");
        end(exception, false);
        if (block) joinUntil(deadline);
    }

    /**
     * Kills (with {@code cancel}, cancels) this live greenlet with {@code exception}: one that has
     * not started ends at once without running, one that has gets it thrown in.
     */
    private void end(Throwable exception, boolean cancel) {
        if (state == NEW || state == SCHEDULED) {
            if (startTimer != null) {
                startTimer.cancel();
                startTimer = null;
                hub.live.remove(this);
            }
            moveTo(cancel ? CANCELLED : DEAD);
            if (exception instanceof GreenletExit) value = exception;
            else this.exception = exception;
            if (links != null) links.ready();
            return;
        }
        if (cancel && state == STARTED) moveTo(CANCELLING);
        if (this == current()) throw Coop.sneaky(exception);
        throwIn(exception);
    }

    // ---------------------------------------------------------------- joining and results

    /** Waits until the greenlet is dead. */
    public void join() {
        joinUntil(Hub.NO_DEADLINE);
    }

    /** Waits until the greenlet is dead or {@code timeout} passes; true if it is dead. */
    public boolean join(Duration timeout) {
        return joinUntil(Coop.deadline(timeout, "timeout"));
    }

    final boolean joinUntil(long deadline) {
        if (isDead()) return true;
        Greenlet<?> me = current();
        if (me == this) throw new IllegalStateException(this + " cannot join itself");
        if (state == NEW) throw new IllegalStateException(this + " was never started: call start() before join()");
        return links().await(new Waiter<>(me, new JoinOf(this)), deadline);
    }

    /** What a joiner waits for, named without the target's own state (two greenlets may join each other). */
    private record JoinOf(Greenlet<?> target) {
        @Override
        public String toString() {
            return "join(" + target.name() + ")";
        }
    }

    /** Per {@link Future}: the value, or the failure wrapped in {@link ExecutionException}. */
    @Override
    public T get() throws ExecutionException {
        join();
        return result();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws ExecutionException, TimeoutException {
        if (!join(Duration.of(timeout, unit.toChronoUnit()))) throw new TimeoutException(this + " did not finish in " + timeout + " " + unit);
        return result();
    }

    @SuppressWarnings("unchecked")
    private T result() throws ExecutionException {
        if (state == CANCELLED) throw new CancellationException(this + " was cancelled");
        if (exception != null) throw new ExecutionException(exception);
        return (T) value;
    }

    /** The value once the greenlet has succeeded; null before, or when it failed. May be a GreenletExit. */
    @SuppressWarnings("unchecked")
    public T value() {
        return (T) value;
    }

    /** The exception the greenlet failed with, or null. */
    public Throwable exception() {
        return exception;
    }

    /**
     * Per {@link Future}: kills the greenlet with {@code GreenletExit("cancelled")} (without
     * waiting) unless it is already dead; from then on {@link #isCancelled()} is true.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDead()) return false;
        hub.checkHubThread("Greenlet", "cancel");
        end(new GreenletExit("cancelled"), true);
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLING || state == CANCELLED;
    }

    @Override
    public boolean isDone() {
        return isDead();
    }

    /** True once {@link #start()} or {@link #startLater} has been called. */
    public boolean isStarted() {
        return state != NEW;
    }

    /** True once the greenlet is dead (= {@link #isDone()}). */
    @Override
    public boolean isReady() {
        return isDead();
    }

    /** True once the greenlet is dead without an exception (a kill by {@link GreenletExit} counts as success). */
    public boolean isSuccessful() {
        return isDead() && exception == null;
    }

    /** True once the greenlet has finished, failed or been killed (= {@link #isReady()}). */
    public boolean isDead() {
        return state >= DEAD;
    }

    // ---------------------------------------------------------------- links

    /** Calls {@code callback} with this greenlet on the hub once it is dead. */
    public void link(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        links().add(callback, () -> callback.accept(this));
    }

    /** Like {@link #link} but only if the greenlet succeeds. */
    public void linkValue(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        links().add(callback, () -> { if (isSuccessful()) callback.accept(this); });
    }

    /** Like {@link #link} but only if the greenlet fails. */
    public void linkException(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        links().add(callback, () -> { if (!isSuccessful()) callback.accept(this); });
    }

    /** Removes a callback given to {@link #link}, {@link #linkValue} or {@link #linkException}. */
    public void unlink(Consumer<? super Greenlet<T>> callback) {
        removeLink(callback);
    }

    @Override
    public void addReadyListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        links().add(listener);
    }

    @Override
    public void removeReadyListener(Runnable listener) {
        removeLink(listener);
    }

    private void removeLink(Object key) {
        if (links != null) links.remove(key);
    }

    /** A joiner is a link too: it wakes in its turn, so join() returns after the links of the death have run. */
    private Links links() {
        if (links == null) links = Links.waitersInTurn(this, hub);
        return links;
    }

    // ---------------------------------------------------------------- naming

    /**
     * The greenlet's name: its thread's current name (code that renames its thread with
     * {@code Thread.setName} renames the greenlet too), else the one set, else
     * {@code Greenlet-<n>} in the order greenlets were made.
     */
    public String name() {
        Thread t = thread;
        if (t != null && t != hub.thread) {
            String current = t.getName();
            if (!current.isEmpty()) return current;
        }
        if (name == null) name = "Greenlet-" + id;
        return name;
    }

    /** Names the greenlet (shown in {@link #toString()}, dumps, failure reports and its thread's name); returns it. */
    public Greenlet<T> setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        if (thread != null && thread != hub.thread) thread.setName(name);
        return this;
    }

    /** The thread the greenlet runs on (a virtual thread; the hub thread for the main greenlet). */
    public Thread thread() {
        return thread;
    }

    String stateDescription() {
        String life = switch (state) {
            case NEW -> "not started";
            case SCHEDULED -> "scheduled to start later";
            case DEAD -> exception == null ? "dead, successful" : "dead, failed: " + exception;
            case CANCELLED -> "cancelled";
            default -> null; // STARTED, CANCELLING: where its thread is
        };
        if (life != null) return life;
        if (waiting != null) return "waiting for " + waiting.describe();
        if (this == current()) return "running";
        return thread == null ? "started" : switch (thread.getState()) {
            case NEW, RUNNABLE -> "ready";
            default -> "blocked outside coop (" + thread.getState() + ")";
        };
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + stateDescription() + "]";
    }
}
