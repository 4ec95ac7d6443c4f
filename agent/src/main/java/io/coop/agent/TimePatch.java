package io.coop.agent;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.coop.AgentSupport;
import io.coop.Hub;

/**
 * The {@code time} area: {@code Thread.sleep} (every overload, and so {@code TimeUnit.sleep})
 * of a greenlet waits on its hub's timer heap, so sleeps are ordered by the hub and a kill or
 * {@code Timeout} ends them; timed parks and timed {@code Object.wait} of greenlets get their
 * timeout from the hub's timers instead of the JDK's "VirtualThread-unparker" threads.
 *
 * <p>JDK targets: {@code java.lang.VirtualThread.sleepNanos(long)} (every sleep of a virtual
 * thread), {@code java.lang.Thread.sleepNanos(long)} (JDK 22+: sleeps of a patchAll() hub
 * thread), {@code java.lang.VirtualThread.schedule(Runnable, long, TimeUnit)} (JDK 24+: the
 * timeouts of parks and waits), and {@code java.time.Clock}'s system time, which a greenlet of
 * a hub on virtual time reads from its hub. Once a hub runs on virtual time, calls of
 * {@code System.nanoTime()} and {@code System.currentTimeMillis()} in application classes and
 * {@code java.util.concurrent} go to the hub's clock too (see {@link ClockRedirects}).
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
                        "(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;", "schedule").optionalTarget(),
                // Instant.now(), Clock.systemUTC().instant(), LocalDateTime.now() ... all end here
                new Target("java.time.Clock", "currentInstant", "()Ljava/time/Instant;", "clockInstant").optionalTarget(),
                new Target("java.time.Clock$SystemClock", "millis", "()J", "clockMillis").optionalTarget(),
                new Target("java.time.Clock$SystemInstantSource", "millis", "()J", "clockMillis").optionalTarget());
    }

    /** Clock.currentInstant: a greenlet of a hub on virtual time gets the hub's time; anyone else the JDK's. */
    static Object clockInstant() {
        Hub hub = AgentSupport.currentGreenletHub();
        return hub == null || !hub.schedule().virtualTime() ? null : java.time.Instant.ofEpochMilli(0).plusNanos(hub.epochNanos());
    }

    /** The system clock's millis(): a greenlet of a hub on virtual time gets the hub's; anyone else the JDK's. */
    static Object clockMillis() {
        Hub hub = AgentSupport.currentGreenletHub();
        return hub == null || !hub.schedule().virtualTime() ? null : hub.currentTimeMillis();
    }

    /** A greenlet's System.nanoTime(): its hub's clock; any other virtual thread's: the JDK's. */
    static long nanoTime() {
        Hub hub = AgentSupport.currentGreenletHub();
        return hub == null ? System.nanoTime() : hub.nanoTime();
    }

    /** A greenlet's System.currentTimeMillis(): its hub's wall clock. */
    static long currentTimeMillis() {
        Hub hub = AgentSupport.currentGreenletHub();
        return hub == null ? System.currentTimeMillis() : hub.currentTimeMillis();
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
