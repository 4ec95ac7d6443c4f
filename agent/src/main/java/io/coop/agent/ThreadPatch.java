package io.coop.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.coop.AgentSupport;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.Waiter;

/**
 * The {@code thread} area (gevent's {@code patch_thread}): {@code Thread.start()} of an
 * application thread, called by a greenlet, starts a greenlet that runs the thread's
 * {@code run()} instead of an OS thread. The {@code Thread} object stays the application's
 * handle: {@code join}, {@code isAlive}, {@code getState}, {@code interrupt},
 * {@code isInterrupted}, names, daemon status and uncaught-exception handlers keep their meaning.
 * Inside, {@code Thread.currentThread()} in application code is that {@code Thread} (its calls
 * are redirected as classes load, see {@link #redirects()}); the JDK's own code sees the
 * greenlet's virtual thread, which shares its name, interrupt status and context class loader.
 *
 * <p>Which threads stay real OS threads: threads started outside coop when no hub is driven
 * (see {@link #start}), JDK-internal threads (subclasses of {@code Thread} defined by the JDK, such as
 * {@code InnocuousThread} or {@code ForkJoinWorkerThread}, and threads whose task is a
 * {@code jdk.*}/{@code sun.*} class), coop's own threads, and virtual threads.
 *
 * <p>JDK targets: {@code Thread.start()}, {@code Thread.alive()}, {@code Thread.threadState()},
 * {@code Thread.interrupt()}, {@code Thread.isInterrupted()}, {@code Thread.setName(String)},
 * {@code Thread.join(long)}, {@code Thread.exit()}, {@code Thread.start(ThreadContainer)},
 * {@code Thread.isDaemon()}, {@code Thread.getThreadGroup()}, and the {@code LockSupport} parks
 * and {@code unpark} (for a {@code patchAll()} caller's own code, whose waits must run the hub).
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newFixedThreadPool(8);   // 8 greenlets, one OS thread
 * }</pre>
 */
public final class ThreadPatch implements Patch {
    /** JVMTI thread status values kept in a Thread's holder (see jdk.internal.misc.VM.toThreadState). */
    private static final int STATUS_NEW = 0, STATUS_RUNNABLE = 0x0005, STATUS_TERMINATED = 0x0002;

    /**
     * Application Thread objects whose run() is running in a greenlet, mapped to that greenlet:
     * the one map kept per such thread (a JDK Thread has no field of ours to hold its greenlet).
     * The other way, from the greenlet's virtual thread to the Thread it stands for, needs no map:
     * see {@link #standingFor}.
     */
    static final Map<Thread, Greenlet<?>> FACADES = new ConcurrentHashMap<>();
    /** Main greenlets' virtual threads, mapped to the JVM thread each stands for (see {@link #standFor}). */
    private static final Map<Thread, Thread> MAINS = new ConcurrentHashMap<>();

    /** Thread's internals, looked up on first use (prepare() only checks that they exist). */
    private static final class Internals {
        static final VarHandle HOLDER, STATUS, TASK, NAME, CONTEXT_CLASS_LOADER;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
                Class<?> holder = Class.forName("java.lang.Thread$FieldHolder");
                HOLDER = l.findVarHandle(Thread.class, "holder", holder);
                STATUS = l.findVarHandle(holder, "threadStatus", int.class);
                TASK = l.findVarHandle(holder, "task", Runnable.class);
                NAME = l.findVarHandle(Thread.class, "name", String.class);
                CONTEXT_CLASS_LOADER = l.findVarHandle(Thread.class, "contextClassLoader", ClassLoader.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Override
    public String area() {
        return "thread";
    }

    @Override
    public List<Target> targets(int jdk) {
        String t = "java.lang.Thread";
        List<Target> l = new ArrayList<>();
        l.add(new Target(t, "start", "()V", "threadStart"));
        l.add(new Target(t, "start", "(Ljdk/internal/vm/ThreadContainer;)V", "threadStartIn"));
        l.add(new Target(t, "isDaemon", "()Z", "threadIsDaemon"));
        l.add(new Target(t, "getThreadGroup", "()Ljava/lang/ThreadGroup;", "threadGroup"));
        l.add(new Target(t, "alive", "()Z", "threadAlive"));
        l.add(new Target(t, "threadState", "()Ljava/lang/Thread$State;", "threadState"));
        l.add(new Target(t, "interrupt", "()V", "threadInterrupt"));
        l.add(new Target(t, "isInterrupted", "()Z", "threadIsInterrupted"));
        l.add(new Target(t, "setName", "(Ljava/lang/String;)V", "threadSetName"));
        l.add(new Target(t, "join", "(J)V", "threadJoin"));
        l.add(new Target(t, "setContextClassLoader", "(Ljava/lang/ClassLoader;)V", "threadSetContextClassLoader"));
        l.add(new Target(t, "getStackTrace", "()[Ljava/lang/StackTraceElement;", "threadGetStackTrace"));
        l.add(new Target(t, "exit", "()V", "threadExit").optionalTarget());
        String ls = "java.util.concurrent.locks.LockSupport";
        l.add(new Target(ls, "park", "(Ljava/lang/Object;)V", "park"));
        l.add(new Target(ls, "parkNanos", "(Ljava/lang/Object;J)V", "parkNanos"));
        l.add(new Target(ls, "parkUntil", "(Ljava/lang/Object;J)V", "parkUntil"));
        l.add(new Target(ls, "park", "()V", "park0"));
        l.add(new Target(ls, "parkNanos", "(J)V", "parkNanos0"));
        l.add(new Target(ls, "parkUntil", "(J)V", "parkUntil0"));
        l.add(new Target(ls, "unpark", "(Ljava/lang/Thread;)V", "unpark"));
        return l;
    }

    @Override
    public List<Redirect> redirects() {
        return List.of(new Redirect("java/lang/Thread", "onSpinWait", "()V"),
                new Redirect("java/lang/Thread", "currentThread", "()Ljava/lang/Thread;"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        // only check that the fields exist (cheap); the handles are made on first use
        Class<?> holder = Class.forName("java.lang.Thread$FieldHolder", false, null);
        checkField(Thread.class, "holder", holder);
        checkField(holder, "threadStatus", int.class);
        checkField(holder, "task", Runnable.class);
        checkField(Thread.class, "name", String.class);
        checkField(Thread.class, "contextClassLoader", ClassLoader.class);
    }

    static void checkField(Class<?> owner, String name, Class<?> type) throws NoSuchFieldException {
        if (owner.getDeclaredField(name).getType() != type) throw new NoSuchFieldException(owner.getName() + "." + name + " is not a " + type.getName());
    }


    /** A patchAll() hub thread's LockSupport permit, and the coop wait it parks in. */
    private static final class DriverPark {
        volatile boolean permit;
        volatile Waiter<Void> waiter;
    }

    private static final Map<Thread, DriverPark> PARKS = new ConcurrentHashMap<>();

    private static DriverPark driverPark(Thread t) {
        DriverPark p = PARKS.get(t);
        if (p == null) {
            DriverPark fresh = new DriverPark();
            p = PARKS.putIfAbsent(t, fresh);
            if (p == null) p = fresh;
        }
        return p;
    }

    // ---------------------------------------------------------------- which threads become greenlets

    /** True for a thread the application made: not virtual, not the JDK's, not coop's. */
    static boolean isApplicationThread(Thread t) {
        if (t.isVirtual()) return false;
        Class<?> c = t.getClass();
        if (c != Thread.class) {
            return !isJdkOrCoop(c);
        }
        Object holder = Internals.HOLDER.get(t);
        Runnable task = holder == null ? null : (Runnable) Internals.TASK.get(holder);
        return task == null || !isJdkInternalOrCoop(task.getClass());
    }

    private static boolean isJdkOrCoop(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (l == null || l == ClassLoader.getPlatformClassLoader()) return true;
        return isCoop(c);
    }

    /** Where coop itself was loaded from (coop.jar under the agent). */
    private static final String COOP_HOME = codeSource(Hub.class.getProtectionDomain());

    private static String codeSource(java.security.ProtectionDomain domain) {
        java.security.CodeSource cs = domain == null ? null : domain.getCodeSource();
        return cs == null || cs.getLocation() == null ? null : cs.getLocation().toString();
    }

    /** True for code loaded from where coop itself was. */
    static boolean fromCoopHome(java.security.ProtectionDomain domain) {
        return java.util.Objects.equals(codeSource(domain), COOP_HOME);
    }

    /**
     * coop's own classes (its thread pool, resolver, monitor): io.coop classes loaded from where
     * coop itself was. Applications in io.coop packages of their own (the examples, the
     * benchmarks) come from elsewhere and are application code.
     */
    private static boolean isCoop(Class<?> c) {
        return c.getName().startsWith("io.coop.") && fromCoopHome(c.getProtectionDomain());
    }

    private static boolean isJdkInternalOrCoop(Class<?> c) {
        String n = c.getName();
        if (isCoop(c)) return true;
        ClassLoader l = c.getClassLoader();
        if (l != null && l != ClassLoader.getPlatformClassLoader()) return false;
        return n.startsWith("jdk.") || n.startsWith("sun.") || n.startsWith("com.sun.");
    }

    // ---------------------------------------------------------------- hooks

    /**
     * Thread.start(): TRUE when the thread now runs as a greenlet, null when the JDK starts it.
     * The rule is what the thread runs, not who starts it: an application thread started by a
     * greenlet runs on that greenlet's hub; one started by a thread outside coop (a JDK-internal
     * dispatcher creating an application pool's workers, an OS thread of coop's ThreadPool) runs
     * on the hub the application's main drives, while there is one.
     */
    static Object start(Thread t) {
        if (!isApplicationThread(t)) return null;
        Hub hub = Callers.inCoop() ? AgentSupport.currentHub() : Callers.drivenHub();
        if (hub == null) return null;
        hub = AppHubs.place(hub);
        Object holder = Internals.HOLDER.get(t);
        synchronized (t) {
            if ((int) Internals.STATUS.getVolatile(holder) != STATUS_NEW || FACADES.containsKey(t)) {
                throw new IllegalThreadStateException();
            }
            Internals.STATUS.setVolatile(holder, STATUS_RUNNABLE);
        }
        Greenlet<Object> g = new ThreadGreenlet(hub, t);
        g.setName(t.getName());
        FACADES.put(t, g);
        try {
            AgentSupport.startOnItsHub(g);
        } catch (RuntimeException | Error e) {
            FACADES.remove(t);
            Internals.STATUS.setVolatile(holder, STATUS_NEW);
            throw e;
        }
        return Boolean.TRUE;
    }

    /** Thread.start(ThreadContainer), how executors start their workers: as {@link #start}, without the container's bookkeeping. */
    static Object startIn(Thread t, Object container) {
        return start(t);
    }

    /**
     * Thread.isDaemon() of a greenlet's virtual thread: the daemon status of the application
     * thread it stands for (so a Thread created inside inherits it, as from a platform thread).
     */
    static Object isDaemon(Thread t) {
        Thread facade = standingFor(t);
        return facade == null ? null : facade.isDaemon();
    }

    /** Thread.getThreadGroup() of a greenlet's virtual thread: the group of the application thread it stands for. */
    static Object group(Thread t) {
        Thread facade = standingFor(t);
        return facade == null ? null : facade.getThreadGroup();
    }

    /** Records that the main greenlet's thread {@code vt} stands for the JVM's main thread {@code t}. */
    static void standFor(Thread vt, Thread t) {
        MAINS.put(vt, t);
    }

    /**
     * The Thread that greenlet thread {@code vt} stands for (an application thread's facade, or
     * main), or null for any other thread. A facade's greenlet is found from its virtual thread's
     * scheduler, as {@code Greenlet.running()} finds it.
     */
    private static Thread standingFor(Thread vt) {
        if (!vt.isVirtual()) return null;
        if (AgentSupport.greenletOf(vt) instanceof ThreadGreenlet g) return g.thread;
        return MAINS.isEmpty() ? null : MAINS.get(vt);
    }

    /**
     * A greenlet that runs an application {@code Thread}'s {@code run()}: application code sees
     * {@link #thread} as its current thread. It overrides {@link #run()}, so it needs no body object.
     */
    private static final class ThreadGreenlet extends Greenlet<Object> {
        final Thread thread;

        ThreadGreenlet(Hub hub, Thread thread) {
            super(hub, null);
            this.thread = thread;
        }

        @Override
        protected Object run() {
            runAsThread(thread);
            return null;
        }
    }

    /** Application code's Thread.currentThread(): the Thread the running greenlet runs, or null (then the JDK's answer stands). */
    static Thread facadeOfCurrent() {
        return AgentSupport.runningGreenlet() instanceof ThreadGreenlet g ? g.thread : null;
    }

    /** The greenlet's body: the thread's run(), its uncaught-exception handler, then the JDK's end-of-thread duties. */
    private static void runAsThread(Thread t) {
        Thread vt = Thread.currentThread();
        Internals.CONTEXT_CLASS_LOADER.setVolatile(vt, t.getContextClassLoader());
        try {
            t.run();
        } catch (GreenletExit e) {
            // killed by coop (hub shutdown): not an application failure
        } catch (Throwable e) {
            try {
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            } catch (Throwable ignored) {
                // as the JVM does: a failing handler is ignored
            }
        } finally {
            Internals.STATUS.setVolatile(Internals.HOLDER.get(t), STATUS_TERMINATED);
            FACADES.remove(t);
            synchronized (t) {
                t.notifyAll(); // what the JVM does for a terminating thread: wakes join()
            }
        }
    }

    /** Thread.alive(): TRUE for a facade whose greenlet runs, else null (the JDK answers). */
    static Object alive(Thread t) {
        if (FACADES.isEmpty()) return null;
        return FACADES.containsKey(t) ? Boolean.TRUE : null;
    }

    /** Thread.threadState(): the greenlet's state for a live facade, else null (not ours). */
    static Object state(Thread t) {
        if (FACADES.isEmpty()) return null;
        Greenlet<?> g = FACADES.get(t);
        if (g == null) return null;
        Thread vt = g.thread();
        if (vt == null) return Thread.State.RUNNABLE;
        Thread.State s = vt.getState();
        return s == Thread.State.NEW || s == Thread.State.TERMINATED ? Thread.State.RUNNABLE : s;
    }

    /** Thread.interrupt() of a facade: interrupts its greenlet's thread instead. */
    static Object interrupt(Thread t) {
        if (FACADES.isEmpty()) return null;
        Greenlet<?> g = FACADES.get(t);
        if (g == null || g.thread() == null) return null;
        g.thread().interrupt();
        return Boolean.TRUE;
    }

    /** Thread.isInterrupted() of a facade: its greenlet's interrupt status; null if not a facade. */
    static Object isInterrupted(Thread t) {
        if (FACADES.isEmpty()) return null;
        Greenlet<?> g = FACADES.get(t);
        if (g == null || g.thread() == null) return null;
        return g.thread().isInterrupted();
    }

    /** Thread.setName(): keeps a facade and its greenlet's thread named alike (the JDK's code then runs). */
    static Object setName(Thread t, String name) {
        if (name == null) return null;
        Greenlet<?> g = FACADES.isEmpty() ? null : FACADES.get(t);
        // the other thread's name field is set directly: its setName would come back here
        if (g != null && g.thread() != null) Internals.NAME.setVolatile(g.thread(), name);
        Thread facade = standingFor(t);
        if (facade != null && !facade.isVirtual()) {
            synchronized (facade) {
                Internals.NAME.setVolatile(facade, name);
            }
        }
        return null;
    }

    /**
     * Thread.setContextClassLoader(): a facade and its greenlet's thread keep one context class
     * loader, as application code sets it on the one (the facade) and the JDK's code reads it from
     * the other (ServiceLoader, JNDI, ...). The JDK's code then sets the receiver's own.
     */
    static Object setContextClassLoader(Thread t, ClassLoader cl) {
        Greenlet<?> g = FACADES.isEmpty() ? null : FACADES.get(t);
        // the other thread's field is set directly: its setContextClassLoader would come back here
        if (g != null && g.thread() != null) Internals.CONTEXT_CLASS_LOADER.setVolatile(g.thread(), cl);
        Thread facade = standingFor(t);
        if (facade != null) Internals.CONTEXT_CLASS_LOADER.setVolatile(facade, cl);
        return null;
    }

    /** Thread.getStackTrace() of a live facade: its greenlet's stack (the facade has no stack of its own); else null. */
    static Object stackTrace(Thread t) {
        if (FACADES.isEmpty()) return null;
        Greenlet<?> g = FACADES.get(t);
        Thread vt = g == null ? null : g.thread();
        return vt == null ? null : vt.getStackTrace();
    }

    /**
     * Thread.join(long) of a facade, called by a patchAll() hub thread (waiting in Object.wait
     * would block the hub, so it joins the greenlet, driving the loop) or by a greenlet that
     * cannot unmount. Other greenlets and threads use the JDK's own join, which the facade's
     * notifyAll ends.
     */
    static Object join(Thread t, long millis) throws InterruptedException {
        if (millis < 0) return null;
        Greenlet<?> g = FACADES.get(t);
        // a greenlet joins with the JDK's Object.wait, which parks it; but where it cannot unmount
        // (a static initializer) that wait would hold the hub's own thread for ever: a coop join
        // there is a pinned wait the hub can judge (only another greenlet could end it: LoopExit)
        if (g == null || !(Callers.isDriver() || AgentSupport.cannotUnmount())) return null;
        if (Thread.interrupted()) throw new InterruptedException();
        AgentSupport.joinFromAnyHub(g, millis == 0 ? null : Duration.ofMillis(millis));
        return Boolean.TRUE;
    }

    /**
     * Thread.exit() of a patchAll() hub thread (its main returned): keeps driving the hub until no
     * non-daemon application thread is left, as the JVM waits for non-daemon threads.
     */
    static Object exit(Thread t) {
        if (!Callers.isDriverThread(t) || t != Thread.currentThread()) return null;
        try {
            awaitNonDaemon(AgentSupport.currentHub());
        } finally {
            Callers.removeDriver(t);
        }
        return null;
    }

    /**
     * LockSupport.park/parkNanos/parkUntil of a patchAll() hub thread (its main code waiting on
     * a lock, latch, future or queue of java.util.concurrent): parking the OS thread would stop
     * the hub, so it runs the hub until unparked, interrupted or out of time. Other threads, the
     * hub's own idle park and a greenlet's park in its coop wait (its blocker is the greenlet: no
     * driver parks so, and the test keeps this hook small enough to be inlined into that wait,
     * whose compiled frame sits under every parked greenlet) get the JDK's park.
     */
    static Object park(Object blocker, int kind, long time) {
        if (blocker instanceof Greenlet || blocker instanceof Hub || !Callers.isDriver()) return null;
        Thread me = Thread.currentThread();
        DriverPark p = driverPark(me);
        if (p.permit) {
            p.permit = false;
            return Boolean.TRUE;
        }
        if (me.isInterrupted()) return Boolean.TRUE;
        Duration timeout; // null: no limit
        if (kind == 0) {
            timeout = null;
        } else if (kind == 1) {
            if (time <= 0) return Boolean.TRUE;
            timeout = Duration.ofNanos(time);
        } else {
            long nanos = (time - System.currentTimeMillis()) * 1_000_000L;
            if (nanos <= 0) return Boolean.TRUE;
            timeout = Duration.ofNanos(nanos);
        }
        Waiter<Void> w = new Waiter<Void>("LockSupport.park(" + (blocker == null ? "" : blocker.getClass().getName()) + ")").interruptible();
        p.waiter = w;
        try {
            if (p.permit) return Boolean.TRUE;
            if (timeout == null) w.await();
            else w.awaitFor(timeout);
        } finally {
            p.waiter = null;
            p.permit = false;
        }
        return Boolean.TRUE;
    }

    /**
     * LockSupport.unpark of a facade (the Thread application code saw as current): unparks its
     * greenlet instead. Of a patchAll() hub thread: gives the permit and ends its wait (the JDK's
     * unpark also runs).
     */
    static Object unpark(Thread t) {
        if (t == null || t.isVirtual()) return null;
        Greenlet<?> facadeOf = FACADES.isEmpty() ? null : FACADES.get(t);
        if (facadeOf != null && facadeOf.thread() != null) {
            // application code unparks the Thread it saw as current (a facade): its greenlet parked
            java.util.concurrent.locks.LockSupport.unpark(facadeOf.thread());
            return Boolean.TRUE;
        }
        if (!Callers.isDriverThread(t)) return null;
        DriverPark p = driverPark(t);
        boolean given = p.permit;
        p.permit = true;
        Waiter<Void> w = p.waiter;
        // once per permit: the wake-up is posted to the hub, whose own wake-up unparks this thread again
        if (w != null && !given) w.wake(null);
        return null;
    }

    /** Joins, on {@code hub}, every live non-daemon application thread of its program (its hubs, see {@link AppHubs}), until there is none. */
    static void awaitNonDaemon(Hub hub) {
        if (hub == null) return;
        while (true) {
            Greenlet<?> next = null;
            for (Map.Entry<Thread, Greenlet<?>> e : FACADES.entrySet()) {
                if (!e.getKey().isDaemon() && AppHubs.sameProgram(hubOf(e.getValue()), hub)) {
                    next = e.getValue();
                    break;
                }
            }
            if (next == null) return;
            if (next.thread() == null) Coop.sleep(1); // its start is posted to its hub: it has not run yet
            else AgentSupport.joinFromAnyHub(next, null);
        }
    }

    private static Hub hubOf(Greenlet<?> g) {
        return AgentSupport.hubOf(g);
    }
}
