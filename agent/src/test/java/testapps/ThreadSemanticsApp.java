package testapps;

import io.coop.testsupport.Probe;
import java.util.concurrent.atomic.AtomicReference;

/** join/isAlive/getState/interrupt/names/daemon/uncaught handler of started threads. */
public class ThreadSemanticsApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        StringBuilder out = new StringBuilder();
        // name seen inside, state, alive, join
        AtomicReference<String> inner = new AtomicReference<>();
        Thread named = new Thread(() -> inner.set(Thread.currentThread().getName()), "worker-A");
        out.append("newState=").append(named.getState());
        named.start();
        named.join();
        out.append(" innerName=").append(inner.get()).append(" afterJoin=").append(named.getState()).append(",").append(named.isAlive());
        // restart is refused
        try {
            named.start();
            out.append(" restart=allowed");
        } catch (IllegalThreadStateException e) {
            out.append(" restart=refused");
        }
        // interrupt ends a sleep with InterruptedException and the thread sees it
        AtomicReference<String> interrupted = new AtomicReference<>("none");
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(10_000);
                interrupted.set("slept");
            } catch (InterruptedException e) {
                interrupted.set("interrupted,flag=" + Thread.currentThread().isInterrupted());
            }
        });
        sleeper.start();
        Thread.sleep(50);
        out.append(" sleeperState=").append(sleeper.getState());
        long t = System.nanoTime();
        sleeper.interrupt();
        sleeper.join();
        out.append(" interrupt=").append(interrupted.get()).append(" interruptMs=").append((System.nanoTime() - t) / 1_000_000 < 1000);
        // uncaught exception goes to the handler with the Thread object
        AtomicReference<String> handled = new AtomicReference<>("none");
        Thread failing = new Thread(() -> {
            throw new IllegalStateException("boom");
        }, "failing");
        failing.setUncaughtExceptionHandler((th, e) -> handled.set(th.getName() + ":" + e.getMessage()));
        failing.start();
        failing.join();
        out.append(" uncaught=").append(handled.get());
        // join with a timeout on a thread that outlives it
        Thread slow = new Thread(() -> Probe.sleep(300));
        slow.setDaemon(true);
        slow.start();
        slow.join(50);
        out.append(" timedJoinAlive=").append(slow.isAlive()).append(" daemon=").append(slow.isDaemon());
        // setName from outside shows inside
        AtomicReference<String> renamed = new AtomicReference<>();
        Thread rename = new Thread(() -> {
            Probe.sleep(50);
            renamed.set(Thread.currentThread().getName());
        }, "before");
        rename.start();
        rename.setName("after");
        rename.join();
        out.append(" renamed=").append(renamed.get());
        Probe.result(out.toString());
    }
}
