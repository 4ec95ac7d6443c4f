package io.coop.agent;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.coop.AgentSupport;
import io.coop.agent.bridge.CoopBridge;
import io.coop.agent.bridge.CoopHooks;

/**
 * coop's {@link CoopHooks}: each hook forwards to its patch (the socket waits go straight to
 * the runtime, see {@link #poll}). Never loaded under its compiled linkage: {@link Bridge#install}
 * defines it from its class file with the bridge names renamed to the classes defined into
 * {@code java.base}, and its static initializer then sets
 * {@code CoopBridge.HOOKS}, so installing needs neither reflection nor method handles. Nothing
 * else may refer to this class.
 *
 * <pre>{@code
 * Bridge.install();   // defines CoopHooks, CoopBridge and this class; the JDK's patched methods now reach coop
 * }</pre>
 */
final class HooksImpl implements CoopHooks {
    static {
        CoopBridge.HOOKS = new HooksImpl();
    }

    private HooksImpl() {
    }

    @Override
    public Object sleep(long nanos) throws Throwable {
        return TimePatch.sleep(nanos);
    }

    @Override
    public Object sleepHub(long nanos) throws Throwable {
        return TimePatch.sleepHub(nanos);
    }

    @Override
    public Object schedule(Thread vthread, Runnable command, long delay, TimeUnit unit) throws Throwable {
        return TimePatch.schedule(vthread, command, delay, unit);
    }

    @Override
    public Object parkPinned(Thread vthread, boolean timed, long nanos) throws Throwable {
        return PinnedWaits.parkPinned(vthread, timed, nanos);
    }

    @Override
    public Object listen(Object socketImpl, int backlog) throws Throwable {
        return SocketPatch.listen(socketImpl, backlog);
    }

    @Override
    public Object netBind(Object channel, java.net.SocketAddress local, int backlog) throws Throwable {
        return SocketPatch.netBind(channel, local, backlog);
    }

    @Override
    public Object beforeSelect(Object action, long timeout) throws Throwable {
        return SelectPatch.beforeSelect();
    }

    @Override
    public boolean spinWait() {
        return YieldPoints.spinWait();
    }

    @Override
    public Object clockInstant() {
        return TimePatch.clockInstant();
    }

    @Override
    public Object clockMillis() {
        return TimePatch.clockMillis();
    }

    @Override
    public long nanoTime() {
        return TimePatch.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return TimePatch.currentTimeMillis();
    }

    @Override
    public Thread facadeOfCurrent() {
        return ThreadPatch.facadeOfCurrent();
    }

    @Override
    public Object threadSetContextClassLoader(Thread t, ClassLoader cl) throws Throwable {
        return ThreadPatch.setContextClassLoader(t, cl);
    }

    @Override
    public Object threadGetStackTrace(Thread t) throws Throwable {
        return ThreadPatch.stackTrace(t);
    }

    @Override
    public void preempt() {
        YieldPoints.preempt();
    }

    @Override
    public Object threadStart(Thread t) throws Throwable {
        return ThreadPatch.start(t);
    }

    @Override
    public Object threadStartIn(Thread t, Object container) throws Throwable {
        return ThreadPatch.startIn(t, container);
    }

    @Override
    public Object threadIsDaemon(Thread t) throws Throwable {
        return ThreadPatch.isDaemon(t);
    }

    @Override
    public Object threadGroup(Thread t) throws Throwable {
        return ThreadPatch.group(t);
    }

    @Override
    public Object threadAlive(Thread t) throws Throwable {
        return ThreadPatch.alive(t);
    }

    @Override
    public Object threadState(Thread t) throws Throwable {
        return ThreadPatch.state(t);
    }

    @Override
    public Object threadInterrupt(Thread t) throws Throwable {
        return ThreadPatch.interrupt(t);
    }

    @Override
    public Object threadIsInterrupted(Thread t) throws Throwable {
        return ThreadPatch.isInterrupted(t);
    }

    @Override
    public Object threadSetName(Thread t, String name) throws Throwable {
        return ThreadPatch.setName(t, name);
    }

    @Override
    public Object threadJoin(Thread t, long millis) throws Throwable {
        return ThreadPatch.join(t, millis);
    }

    @Override
    public Object threadExit(Thread t) throws Throwable {
        return ThreadPatch.exit(t);
    }

    @Override
    public Object park(Object blocker, int kind, long time) throws Throwable {
        return ThreadPatch.park(blocker, kind, time);
    }

    @Override
    public Object unpark(Thread t) throws Throwable {
        return ThreadPatch.unpark(t);
    }

    // poll and pollSelector go straight to the runtime: their frames sit under every parked
    // socket wait, copied into each greenlet's stack (see SocketPatch and SelectPatch for what they do)

    @Override
    public Object poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws Throwable {
        return AgentSupport.pollFd(fd, event, nanos, isOpen);
    }

    @Override
    public Object pollSelector(int fd, long nanos) throws Throwable {
        return AgentSupport.pollFd(fd, AgentSupport.POLLIN, nanos, null);
    }

    @Override
    public Object stopPoll(int fd, int event) throws Throwable {
        return SocketPatch.stopPoll(fd, event);
    }

    @Override
    public Object stopPollAll(int fd) throws Throwable {
        return SocketPatch.stopPollAll(fd);
    }

    @Override
    public Object lookupByName(Object resolver, String host, Object policy) throws Throwable {
        return DnsPatch.lookupByName(resolver, host, policy);
    }

    @Override
    public Object lookupByAddress(Object resolver, byte[] address) throws Throwable {
        return DnsPatch.lookupByAddress(resolver, address);
    }

    @Override
    public Object beforeRead(Object stream) throws Throwable {
        return SubprocessPatch.beforeRead(stream);
    }

    @Override
    public Object runMain(Class<?> mainClass, String[] args) throws Throwable {
        return MainRunner.runMain(mainClass, args);
    }
}
