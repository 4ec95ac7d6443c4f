package io.coop.agent;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.coop.AgentSupport;

/**
 * The {@code time} area: {@code Thread.sleep} (every overload, and so {@code TimeUnit.sleep})
 * of a greenlet waits on its hub's timer heap, so sleeps are ordered by the hub and a kill or
 * {@code Timeout} ends them; timed parks and timed {@code Object.wait} of greenlets get their
 * timeout from the hub's timers instead of the JDK's "VirtualThread-unparker" threads.
 *
 * <p>JDK targets: {@code java.lang.VirtualThread.sleepNanos(long)} (every sleep of a virtual
 * thread), {@code java.lang.Thread.sleepNanos(long)} (JDK 22+: sleeps of a patchAll() hub
 * thread), {@code java.lang.VirtualThread.schedule(Runnable, long, TimeUnit)} (JDK 24+: the
 * timeouts of parks and waits).
 *
 * <pre>{@code
 * // unchanged application code, 200 threads: about 1 s in all, on one OS thread
 * for (int i = 0; i < 200; i++) new Thread(() -> { try { Thread.sleep(1000); } catch (InterruptedException e) { } }).start();
 * }</pre>
 */
public final class TimePatch implements Patch {
    @Override
    public String area() {
        return "time";
    }

    @Override
    public List<Target> targets(int jdk) {
        return List.of(
                new Target("java.lang.VirtualThread", "sleepNanos", "(J)V", "sleep"),
                new Target("java.lang.Thread", "sleepNanos", "(J)V", "sleepHub").optionalTarget(),
                new Target("java.lang.VirtualThread", "schedule",
                        "(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;", "schedule").optionalTarget());
    }

    @Override
    public void prepare() {
        // nothing to look up
    }

    /** VirtualThread.sleepNanos: a greenlet sleeps on its hub. */
    static Object sleep(long nanos) throws InterruptedException {
        if (AgentSupport.currentGreenlet() == null) return null;
        AgentSupport.sleepNanos(nanos);
        return Boolean.TRUE;
    }

    /** Thread.sleepNanos: a patchAll() hub thread sleeps by running its hub. */
    static Object sleepHub(long nanos) throws InterruptedException {
        if (!Callers.isDriver() || AgentSupport.currentHub() == null) return null;
        AgentSupport.sleepNanos(nanos);
        return Boolean.TRUE;
    }

    /**
     * VirtualThread.schedule: a greenlet's park or wait timeout becomes a hub timer. The JDK
     * calls it on the carrier right after the virtual thread unmounted, so on a hub's thread the
     * thread is that hub's.
     */
    static Object schedule(Thread vthread, Runnable command, long delay, TimeUnit unit) {
        return AgentSupport.schedule(null, command, delay, unit);
    }
}
