package io.coop.agent.bridge;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one class that patched JDK code calls. It is never loaded under this name: the agent
 * renames it to {@code jdk.internal.misc.CoopBridge} and defines it into {@code java.base} (so
 * the bootstrap loader, which loads the patched JDK classes, can see it).
 *
 * <p>Each method forwards to a hook in coop.jar, held as a {@link MethodHandle} since coop's own
 * classes are invisible to the bootstrap loader, and returns what the hook returns: null means
 * "not handled, run the JDK's own code", anything else is the patched method's result (a
 * {@code Boolean.TRUE} for a void method). While no hook is set every method returns null.
 * Only JDK types appear here: one field and one method per hook.
 *
 * <pre>{@code
 * // what a patched VirtualThread.sleepNanos(nanos) does first:
 * Object r = CoopBridge.sleep(nanos);
 * if (r != null) return;                  // a greenlet slept on the hub
 * }</pre>
 */
public final class CoopBridge {
    private CoopBridge() {
    }
    /** time: VirtualThread.sleepNanos. */
    public static volatile MethodHandle SLEEP;
    /** time: Thread.sleepNanos of a platform thread. */
    public static volatile MethodHandle SLEEP_HUB;
    /** time: VirtualThread.schedule (park/wait timeouts). */
    public static volatile MethodHandle SCHEDULE;
    /** thread: Thread.start. */
    public static volatile MethodHandle THREAD_START;
    /** thread: Thread.start(ThreadContainer) (executors). */
    public static volatile MethodHandle THREAD_START_IN;
    /** thread: Thread.isDaemon of a greenlet's virtual thread. */
    public static volatile MethodHandle THREAD_IS_DAEMON;
    /** thread: Thread.getThreadGroup of a greenlet's virtual thread. */
    public static volatile MethodHandle THREAD_GROUP;
    /** thread: Thread.alive. */
    public static volatile MethodHandle THREAD_ALIVE;
    /** thread: Thread.threadState. */
    public static volatile MethodHandle THREAD_STATE;
    /** thread: Thread.interrupt. */
    public static volatile MethodHandle THREAD_INTERRUPT;
    /** thread: Thread.isInterrupted. */
    public static volatile MethodHandle THREAD_IS_INTERRUPTED;
    /** thread: Thread.setName. */
    public static volatile MethodHandle THREAD_SET_NAME;
    /** thread: Thread.join(long). */
    public static volatile MethodHandle THREAD_JOIN;
    /** thread: Thread.exit. */
    public static volatile MethodHandle THREAD_EXIT;
    /** thread: LockSupport parks of a patchAll() hub thread: (Object blocker, int kind 0 park/1 nanos/2 until, long time). */
    public static volatile MethodHandle PARK;
    /** thread: LockSupport.unpark. */
    public static volatile MethodHandle UNPARK;
    /** socket: Poller.poll. */
    public static volatile MethodHandle POLL;
    /** select: Poller.pollSelector. */
    public static volatile MethodHandle POLL_SELECTOR;
    /** socket: Poller.stopPoll(fd, event). */
    public static volatile MethodHandle STOP_POLL;
    /** socket: Poller.stopPoll(fd). */
    public static volatile MethodHandle STOP_POLL_ALL;
    /** dns: InetAddress$PlatformResolver.lookupByName. */
    public static volatile MethodHandle LOOKUP_BY_NAME;
    /** dns: InetAddress$PlatformResolver.lookupByAddress. */
    public static volatile MethodHandle LOOKUP_BY_ADDRESS;
    /** subprocess: FileInputStream reads of a pipe (a process's stdout/stderr), called before the JDK's read. */
    public static volatile MethodHandle BEFORE_READ;
    /** the application's main(String[]). */
    public static volatile MethodHandle RUN_MAIN;

    public static Object sleep(long nanos) throws Throwable {
        MethodHandle h = SLEEP;
        return h == null ? null : (Object) h.invokeExact(nanos);
    }

    public static Object sleepHub(long nanos) throws Throwable {
        MethodHandle h = SLEEP_HUB;
        return h == null ? null : (Object) h.invokeExact(nanos);
    }

    public static Object schedule(Thread vthread, Runnable command, long delay, TimeUnit unit) throws Throwable {
        MethodHandle h = SCHEDULE;
        return h == null ? null : (Object) h.invokeExact(vthread, command, delay, unit);
    }

    public static Object threadStart(Thread t) throws Throwable {
        MethodHandle h = THREAD_START;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadStartIn(Thread t, Object container) throws Throwable {
        MethodHandle h = THREAD_START_IN;
        return h == null ? null : (Object) h.invokeExact(t, container);
    }

    public static Object threadIsDaemon(Thread t) throws Throwable {
        MethodHandle h = THREAD_IS_DAEMON;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadGroup(Thread t) throws Throwable {
        MethodHandle h = THREAD_GROUP;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadAlive(Thread t) throws Throwable {
        MethodHandle h = THREAD_ALIVE;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadState(Thread t) throws Throwable {
        MethodHandle h = THREAD_STATE;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadInterrupt(Thread t) throws Throwable {
        MethodHandle h = THREAD_INTERRUPT;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadIsInterrupted(Thread t) throws Throwable {
        MethodHandle h = THREAD_IS_INTERRUPTED;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object threadSetName(Thread t, String name) throws Throwable {
        MethodHandle h = THREAD_SET_NAME;
        return h == null ? null : (Object) h.invokeExact(t, name);
    }

    public static Object threadJoin(Thread t, long millis) throws Throwable {
        MethodHandle h = THREAD_JOIN;
        return h == null ? null : (Object) h.invokeExact(t, millis);
    }

    public static Object threadExit(Thread t) throws Throwable {
        MethodHandle h = THREAD_EXIT;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object park(Object blocker) throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact(blocker, 0, 0L);
    }

    public static Object parkNanos(Object blocker, long nanos) throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact(blocker, 1, nanos);
    }

    public static Object parkUntil(Object blocker, long deadline) throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact(blocker, 2, deadline);
    }

    public static Object park0() throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact((Object) null, 0, 0L);
    }

    public static Object parkNanos0(long nanos) throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact((Object) null, 1, nanos);
    }

    public static Object parkUntil0(long deadline) throws Throwable {
        MethodHandle h = PARK;
        return h == null ? null : (Object) h.invokeExact((Object) null, 2, deadline);
    }

    public static Object unpark(Thread t) throws Throwable {
        MethodHandle h = UNPARK;
        return h == null ? null : (Object) h.invokeExact(t);
    }

    public static Object poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws Throwable {
        MethodHandle h = POLL;
        return h == null ? null : (Object) h.invokeExact(fd, event, nanos, isOpen);
    }

    public static Object pollSelector(int fd, long nanos) throws Throwable {
        MethodHandle h = POLL_SELECTOR;
        return h == null ? null : (Object) h.invokeExact(fd, nanos);
    }

    public static Object stopPoll(int fd, int event) throws Throwable {
        MethodHandle h = STOP_POLL;
        return h == null ? null : (Object) h.invokeExact(fd, event);
    }

    public static Object stopPollAll(int fd) throws Throwable {
        MethodHandle h = STOP_POLL_ALL;
        return h == null ? null : (Object) h.invokeExact(fd);
    }

    public static Object lookupByName(Object resolver, String host, Object policy) throws Throwable {
        MethodHandle h = LOOKUP_BY_NAME;
        return h == null ? null : (Object) h.invokeExact(resolver, host, policy);
    }

    public static Object lookupByAddress(Object resolver, byte[] address) throws Throwable {
        MethodHandle h = LOOKUP_BY_ADDRESS;
        return h == null ? null : (Object) h.invokeExact(resolver, address);
    }

    public static Object beforeRead(Object stream) throws Throwable {
        MethodHandle h = BEFORE_READ;
        return h == null ? null : (Object) h.invokeExact(stream);
    }

    public static Object beforeRead1(Object stream, byte[] b) throws Throwable {
        MethodHandle h = BEFORE_READ;
        return h == null ? null : (Object) h.invokeExact(stream);
    }

    public static Object beforeRead3(Object stream, byte[] b, int off, int len) throws Throwable {
        MethodHandle h = BEFORE_READ;
        return h == null || len == 0 ? null : (Object) h.invokeExact(stream);
    }

    public static Object runMain(Class<?> mainClass, String[] args) throws Throwable {
        MethodHandle h = RUN_MAIN;
        return h == null ? null : (Object) h.invokeExact(mainClass, args);
    }
}
