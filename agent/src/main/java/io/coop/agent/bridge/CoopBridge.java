package io.coop.agent.bridge;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The class that patched JDK code calls. It is never loaded under this name: the agent renames
 * it to {@code jdk.internal.misc.CoopBridge} and defines it into {@code java.base} (so the
 * bootstrap loader, which loads the patched JDK classes, can see it). Each static method asks
 * {@link #HOOKS} (coop's {@link CoopHooks}) and returns its answer: null means "not handled,
 * run the JDK's own code", anything else is the patched method's result. While no hooks are
 * set every method returns null. Only JDK types appear here.
 *
 * <pre>{@code
 * // what a patched VirtualThread.sleepNanos(nanos) does first:
 * Object r = CoopBridge.sleep(nanos);
 * if (r != null) return;                  // a greenlet slept on the hub
 * }</pre>
 */
public final class CoopBridge {
    /** coop's hooks, set once by the agent (null: every JDK method behaves as before). */
    public static volatile CoopHooks HOOKS;

    private CoopBridge() {
    }

    public static Object sleep(long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.sleep(nanos);
    }

    public static Object sleepHub(long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.sleepHub(nanos);
    }

    public static Object schedule(Thread vthread, Runnable command, long delay, TimeUnit unit) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.schedule(vthread, command, delay, unit);
    }

    public static Object clockInstant() throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.clockInstant();
    }

    public static Object clockMillis() throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.clockMillis();
    }

    public static Object parkPinned(Thread vthread, boolean timed, long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.parkPinned(vthread, timed, nanos);
    }

    public static Object listen(Object socketImpl, int backlog) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.listen(socketImpl, backlog);
    }

    public static Object netBind(Object channel, java.net.SocketAddress local, int backlog) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.netBind(channel, local, backlog);
    }

    public static Object beforeSelect(Object action, long timeout) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.beforeSelect(action, timeout);
    }

    public static Object threadStart(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadStart(t);
    }

    public static Object threadStartIn(Thread t, Object container) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadStartIn(t, container);
    }

    public static Object threadIsDaemon(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadIsDaemon(t);
    }

    public static Object threadGroup(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadGroup(t);
    }

    public static Object threadAlive(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadAlive(t);
    }

    public static Object threadState(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadState(t);
    }

    public static Object threadInterrupt(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadInterrupt(t);
    }

    public static Object threadIsInterrupted(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadIsInterrupted(t);
    }

    public static Object threadSetName(Thread t, String name) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadSetName(t, name);
    }

    public static Object threadSetContextClassLoader(Thread t, ClassLoader cl) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadSetContextClassLoader(t, cl);
    }

    public static Object threadGetStackTrace(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadGetStackTrace(t);
    }

    public static Object threadJoin(Thread t, long millis) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadJoin(t, millis);
    }

    public static Object threadExit(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.threadExit(t);
    }

    public static Object unpark(Thread t) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.unpark(t);
    }

    public static Object poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.poll(fd, event, nanos, isOpen);
    }

    public static Object pollSelector(int fd, long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.pollSelector(fd, nanos);
    }

    public static Object stopPoll(int fd, int event) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.stopPoll(fd, event);
    }

    public static Object stopPollAll(int fd) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.stopPollAll(fd);
    }

    public static Object lookupByName(Object resolver, String host, Object policy) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.lookupByName(resolver, host, policy);
    }

    public static Object lookupByAddress(Object resolver, byte[] address) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.lookupByAddress(resolver, address);
    }

    public static Object runMain(Class<?> mainClass, String[] args) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.runMain(mainClass, args);
    }

    public static Object park(Object blocker) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(blocker, 0, 0L);
    }

    public static Object parkNanos(Object blocker, long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(blocker, 1, nanos);
    }

    public static Object parkUntil(Object blocker, long deadline) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(blocker, 2, deadline);
    }

    public static Object park0() throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(null, 0, 0L);
    }

    public static Object parkNanos0(long nanos) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(null, 1, nanos);
    }

    public static Object parkUntil0(long deadline) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.park(null, 2, deadline);
    }

    public static Object beforeRead(Object stream) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.beforeRead(stream);
    }

    public static Object beforeRead1(Object stream, byte[] b) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null ? null : h.beforeRead(stream);
    }

    public static Object beforeRead3(Object stream, byte[] b, int off, int len) throws Throwable {
        CoopHooks h = HOOKS;
        return h == null || len == 0 ? null : h.beforeRead(stream);
    }

    // ---------------------------------------------------------------- called from application classes
    // (YieldPoints rewrites their bytecode to call these; the agent exports this package to their modules)

    /**
     * The greenlet (its virtual thread) asked to yield at its next yield point, or null: set by
     * the monitor thread under {@code coop.preempt} when one greenlet has held its hub too long.
     */
    public static volatile Thread YIELD_REQUESTED;

    /** Woven before each loop back-edge of application classes under {@code coop.preempt}: one volatile read when nobody is asked to yield. */
    public static void yieldPoint() {
        if (YIELD_REQUESTED == Thread.currentThread()) preempted();
    }

    private static void preempted() {
        YIELD_REQUESTED = null;
        CoopHooks h = HOOKS;
        if (h != null) h.preempt();
    }

    /**
     * Replaces {@code Thread.currentThread()} in application classes: inside a greenlet that runs
     * an application {@code Thread}'s {@code run()}, that {@code Thread} object (its class, id,
     * fields); everywhere else the JDK's answer. The JDK's own code keeps the greenlet's virtual thread.
     */
    public static Thread currentThread() {
        Thread t = Thread.currentThread();
        CoopHooks h;
        if (!t.isVirtual() || (h = HOOKS) == null) return t;
        Thread facade = h.facadeOfCurrent();
        return facade != null ? facade : t;
    }

    /**
     * Replaces {@code System.nanoTime()} in application classes: a greenlet reads its hub's clock
     * (virtual in a seeded run, else the same real clock); every other thread the JDK's.
     */
    public static long nanoTime() {
        CoopHooks h;
        if (!Thread.currentThread().isVirtual() || (h = HOOKS) == null) return System.nanoTime();
        return h.nanoTime();
    }

    /** Replaces {@code System.currentTimeMillis()} in application classes, as {@link #nanoTime()} does. */
    public static long currentTimeMillis() {
        CoopHooks h;
        if (!Thread.currentThread().isVirtual() || (h = HOOKS) == null) return System.currentTimeMillis();
        return h.currentTimeMillis();
    }

    /**
     * Replaces {@code Thread.onSpinWait()} in application classes: a greenlet yields (the thread it
     * waits for may be on the same hub), any other thread spins as before. A call-site rewrite
     * and not a patch of {@code Thread.onSpinWait}, which the JIT replaces by one instruction.
     */
    public static void onSpinWait() {
        CoopHooks h = HOOKS;
        if (h == null || !h.spinWait()) Thread.onSpinWait();
    }
}
