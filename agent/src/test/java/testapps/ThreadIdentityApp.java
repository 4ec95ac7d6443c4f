package testapps;

import io.coop.testsupport.Probe;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.locks.LockSupport;

/**
 * What code that subclasses Thread assumes of Thread.currentThread() inside run(): it is the
 * started object (its class, identity, id, priority, handler, fields), a lookup through it finds
 * the subclass (XNIO's WorkerThread.currentThread(), Netty's FastThreadLocalThread), a context
 * class loader set through it is the one the JDK's code sees, and LockSupport.unpark of the
 * Thread a waiter saw as current wakes that waiter. Prints one field per check.
 */
public class ThreadIdentityApp {
    /** A thread subclass that finds itself the way server frameworks do. */
    static final class WorkerThread extends Thread {
        final String role;

        WorkerThread(Runnable task, String role) {
            super(task, "worker-" + role);
            this.role = role;
        }

        static WorkerThread current() {
            Thread t = Thread.currentThread();
            return t instanceof WorkerThread w ? w : null;
        }
    }

    static volatile String seen = "none";

    public static void main(String[] args) throws Exception {
        Probe.start();
        StringBuilder out = new StringBuilder();
        WorkerThread[] self = new WorkerThread[1];
        String[] inside = new String[1];
        WorkerThread w = new WorkerThread(() -> {
            Thread me = Thread.currentThread();
            WorkerThread found = WorkerThread.current();
            inside[0] = "same=" + (me == self[0]) + " subclass=" + (found != null) + " role=" + (found == null ? "-" : found.role)
                    + " id=" + (me.threadId() == self[0].threadId()) + " priority=" + me.getPriority()
                    + " virtual=" + me.isVirtual() + " alive=" + me.isAlive() + " state=" + me.getState()
                    + " stackNamesRun=" + stackMentions(me, "lambda$main$");
        }, "io");
        self[0] = w;
        w.setPriority(7);
        w.start();
        w.join();
        out.append(inside[0]);

        // a context class loader set through the Thread object is the one the JDK's code sees
        ClassLoader custom = new URLClassLoader(new URL[0], ThreadIdentityApp.class.getClassLoader());
        String[] ccl = new String[1];
        Thread c = new Thread(() -> {
            Thread.currentThread().setContextClassLoader(custom);
            ccl[0] = "cclSeenByJdk=" + (jdkCurrentThread().getContextClassLoader() == custom)
                    + " cclSeenByApp=" + (Thread.currentThread().getContextClassLoader() == custom);
        });
        c.start();
        c.join();
        out.append(' ').append(ccl[0]);

        // park with the Thread seen as current published; another thread unparks that Thread
        Thread[] waiter = new Thread[1];
        Thread parker = new Thread(() -> {
            waiter[0] = Thread.currentThread();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(5_000_000_000L);
            seen = "unparkedMs=" + ((System.nanoTime() - t0) / 1_000_000 < 2000);
        });
        parker.start();
        while (waiter[0] == null) Thread.sleep(5);
        Thread.sleep(50);
        LockSupport.unpark(waiter[0]);
        parker.join();
        out.append(' ').append(seen);

        // an uncaught exception reaches the handler with the started object
        Thread[] handedOver = new Thread[1];
        Thread failing = new Thread(() -> {
            throw new IllegalStateException("boom");
        });
        failing.setUncaughtExceptionHandler((th, e) -> handedOver[0] = th);
        failing.start();
        failing.join();
        out.append(" handlerGotStarted=").append(handedOver[0] == failing);
        Probe.result(out.toString());
    }

    /** The current thread as the JDK's own code sees it (a reflective call runs in JDK code). */
    static Thread jdkCurrentThread() {
        try {
            return (Thread) Thread.class.getMethod("currentThread").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean stackMentions(Thread t, String part) {
        for (StackTraceElement e : t.getStackTrace()) if (e.getMethodName().contains(part)) return true;
        return false;
    }
}
