package io.coop.agent.bridge;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What patched JDK methods ask coop, one method per hook. Renamed to
 * {@code jdk.internal.misc.CoopHooks} and defined into {@code java.base} with
 * {@link CoopBridge}; coop's implementation ({@code io.coop.agent.HooksImpl}) is defined with the
 * same renaming, so the JDK calls it through a plain interface call (no reflection, no method
 * handles, nothing generated at start-up). Every method returns null for "not handled: run the
 * JDK's own code", else the patched method's result ({@code Boolean.TRUE} for a void method).
 *
 * <pre>{@code
 * Object r = CoopBridge.HOOKS.sleep(nanos);   // what a patched sleep asks first
 * }</pre>
 */
public interface CoopHooks {
    /** time: VirtualThread.sleepNanos. */
    Object sleep(long nanos) throws Throwable;

    /** time: Thread.sleepNanos of a platform thread. */
    Object sleepHub(long nanos) throws Throwable;

    /** time: VirtualThread.schedule (park and wait timeouts). */
    Object schedule(Thread vthread, Runnable command, long delay, TimeUnit unit) throws Throwable;

    /** every area: VirtualThread.parkOnCarrierThread (a park that could not unmount). */
    Object parkPinned(Thread vthread, boolean timed, long nanos) throws Throwable;

    /** thread: Thread.start. */
    Object threadStart(Thread t) throws Throwable;

    /** thread: Thread.start(ThreadContainer), as executors start workers. */
    Object threadStartIn(Thread t, Object container) throws Throwable;

    /** thread: Thread.isDaemon. */
    Object threadIsDaemon(Thread t) throws Throwable;

    /** thread: Thread.getThreadGroup. */
    Object threadGroup(Thread t) throws Throwable;

    /** thread: Thread.alive. */
    Object threadAlive(Thread t) throws Throwable;

    /** thread: Thread.threadState. */
    Object threadState(Thread t) throws Throwable;

    /** thread: Thread.interrupt. */
    Object threadInterrupt(Thread t) throws Throwable;

    /** thread: Thread.isInterrupted. */
    Object threadIsInterrupted(Thread t) throws Throwable;

    /** thread: Thread.setName. */
    Object threadSetName(Thread t, String name) throws Throwable;

    /** thread: Thread.join(long). */
    Object threadJoin(Thread t, long millis) throws Throwable;

    /** thread: Thread.exit. */
    Object threadExit(Thread t) throws Throwable;

    /** thread: LockSupport parks (kind 0 park, 1 parkNanos, 2 parkUntil). */
    Object park(Object blocker, int kind, long time) throws Throwable;

    /** thread: LockSupport.unpark. */
    Object unpark(Thread t) throws Throwable;

    /** socket: Poller.poll. */
    Object poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws Throwable;

    /** select: Poller.pollSelector. */
    Object pollSelector(int fd, long nanos) throws Throwable;

    /** select: SelectorImpl.lockAndDoSelect, before every select. */
    Object beforeSelect(Object action, long timeout) throws Throwable;

    /** Application code's Thread.onSpinWait (rewritten call sites): true when a greenlet yielded instead of spinning. */
    boolean spinWait();

    /** time: Clock.currentInstant. */
    Object clockInstant() throws Throwable;

    /** time: the system clock's millis(). */
    Object clockMillis() throws Throwable;

    /** time: application code's System.nanoTime() on a virtual thread: its hub's clock when it is a greenlet. */
    long nanoTime();

    /** time: application code's System.currentTimeMillis() on a virtual thread: its hub's wall clock when it is a greenlet. */
    long currentTimeMillis();

    /** Application code's Thread.currentThread() on a virtual thread: the application Thread the running greenlet stands for, or null. */
    Thread facadeOfCurrent();

    /** thread: Thread.setContextClassLoader. */
    Object threadSetContextClassLoader(Thread t, ClassLoader cl) throws Throwable;

    /** thread: Thread.getStackTrace. */
    Object threadGetStackTrace(Thread t) throws Throwable;

    /** A yield point of application code reached by the greenlet asked to yield (coop.preempt). */
    void preempt();

    /** socket: NioSocketImpl.listen(backlog), ServerSocket's listen. */
    Object listen(Object socketImpl, int backlog) throws Throwable;

    /** socket: ServerSocketChannelImpl.netBind(local, backlog), a channel's bind and listen. */
    Object netBind(Object channel, java.net.SocketAddress local, int backlog) throws Throwable;

    /** socket: Poller.stopPoll(fd, event). */
    Object stopPoll(int fd, int event) throws Throwable;

    /** socket: Poller.stopPoll(fd). */
    Object stopPollAll(int fd) throws Throwable;

    /** dns: InetAddress$PlatformResolver.lookupByName. */
    Object lookupByName(Object resolver, String host, Object policy) throws Throwable;

    /** dns: InetAddress$PlatformResolver.lookupByAddress. */
    Object lookupByAddress(Object resolver, byte[] address) throws Throwable;

    /** subprocess: FileInputStream reads, before the JDK reads. */
    Object beforeRead(Object stream) throws Throwable;

    /** the application's main(String[]). */
    Object runMain(Class<?> mainClass, String[] args) throws Throwable;
}
