package io.coop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A hub's readiness poller for raw file descriptors: one Linux epoll instance (the JDK's own
 * {@code sun.nio.ch.EPoll}), an eventfd to wake it from other threads, and the hub's
 * {@link Selector} (if it has one) watched as one more descriptor. It is what lets the agent
 * route the JDK's socket and selector parks ({@code sun.nio.ch.Poller}) to the hub: a greenlet
 * blocked in {@code Socket.read} waits here, and no JDK poller thread is involved.
 *
 * <p>Needs {@code java.base/sun.nio.ch} open to coop (the agent opens it itself); Linux only.
 * Hub thread only, except {@link #wakeup()} and {@link #stopAll}.
 *
 * <pre>{@code
 * // inside a greenlet (what a patched sun.nio.ch.Poller.poll does):
 * AgentSupport.awaitFd(fd, AgentSupport.POLLIN, deadline, socketIsOpen);
 * }</pre>
 */
final class FdPoller {
    static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10;
    private static final int CTL_ADD = 1, CTL_MOD = 3;
    private static final int MAX_EVENTS = 256;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EEXIST = 17, ENOENT = 2, EPERM = 1;

    /** Every poller, so that a close on any thread can wake the greenlets waiting on its descriptor. */
    private static final Set<FdPoller> ALL = ConcurrentHashMap.newKeySet();

    /** The JDK's epoll and eventfd, looked up when the first hub opens a poller (not at start-up). */
    private static final class Native {
        static final MethodHandle CREATE, CTL, WAIT, ALLOC, GET_EVENT, GET_FD, GET_EVENTS, EFD_NEW, EFD_FD, EFD_SET, EFD_RESET;

        static {
            try {
                Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
                Class<?> eventFd = Class.forName("sun.nio.ch.EventFD");
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(epoll, MethodHandles.lookup());
                CREATE = l.findStatic(epoll, "create", MethodType.methodType(int.class));
                CTL = l.findStatic(epoll, "ctl", MethodType.methodType(int.class, int.class, int.class, int.class, int.class));
                WAIT = l.findStatic(epoll, "wait", MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
                ALLOC = l.findStatic(epoll, "allocatePollArray", MethodType.methodType(long.class, int.class));
                GET_EVENT = l.findStatic(epoll, "getEvent", MethodType.methodType(long.class, long.class, int.class));
                GET_FD = l.findStatic(epoll, "getDescriptor", MethodType.methodType(int.class, long.class));
                GET_EVENTS = l.findStatic(epoll, "getEvents", MethodType.methodType(int.class, long.class));
                MethodHandles.Lookup le = MethodHandles.privateLookupIn(eventFd, MethodHandles.lookup());
                EFD_NEW = le.findConstructor(eventFd, MethodType.methodType(void.class)).asType(MethodType.methodType(Object.class));
                EFD_FD = le.findVirtual(eventFd, "efd", MethodType.methodType(int.class)).asType(MethodType.methodType(int.class, Object.class));
                EFD_SET = le.findVirtual(eventFd, "set", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
                EFD_RESET = le.findVirtual(eventFd, "reset", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static volatile Boolean available;
    private static volatile Throwable unavailable;

    private final Hub hub;
    private final int epfd;
    private final long events;
    private final Object eventFd;
    private final int efd;
    /** The descriptors one poll found ready, and their events by descriptor number. */
    private final int[] readyFds = new int[MAX_EVENTS];
    private int[] readyEvents = new int[64];

    /** Indexed by descriptor number (small: the kernel hands out the lowest free one). */
    private Watch[] watches = new Watch[64];
    private Selector watchedSelector;
    private int selectorFd = -1;
    private boolean selectorFdUnknown;

    /**
     * True if this JDK and platform let coop poll raw descriptors: Linux epoll, with
     * java.base/sun.nio.ch open to coop. A cheap check (the handles are made on first use).
     */
    static boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            try {
                Class<?> epoll = Class.forName("sun.nio.ch.EPoll", false, null);
                Class.forName("sun.nio.ch.EventFD", false, null);
                a = FdPoller.class.getModule().canRead(epoll.getModule())
                        && epoll.getModule().isOpen("sun.nio.ch", FdPoller.class.getModule());
                if (!a) unavailable = new IllegalAccessException("java.base/sun.nio.ch is not open to coop");
            } catch (ClassNotFoundException | RuntimeException e) {
                unavailable = e;
                a = false;
            }
            if (a) available = a; // a "no" may change once the agent opens sun.nio.ch
        }
        return a;
    }

    static FdPoller open(Hub hub) {
        if (!isAvailable()) {
            throw new UnsupportedOperationException("coop cannot poll file descriptors on this JVM (it needs Linux and "
                    + "java.base/sun.nio.ch open to coop, which -javaagent:coop.jar arranges): " + unavailable, unavailable);
        }
        try {
            FdPoller p = new FdPoller(hub);
            ALL.add(p);
            return p;
        } catch (Throwable t) {
            throw new UncheckedIOException(new IOException("cannot create the hub's epoll instance", t));
        }
    }

    private FdPoller(Hub hub) throws Throwable {
        this.hub = hub;
        this.epfd = (int) Native.CREATE.invokeExact();
        this.events = (long) Native.ALLOC.invokeExact(MAX_EVENTS);
        this.eventFd = (Object) Native.EFD_NEW.invokeExact();
        this.efd = (int) Native.EFD_FD.invokeExact(eventFd);
        ctl(CTL_ADD, efd, EPOLLIN);
    }

    /**
     * The greenlets waiting on one descriptor number. Kept for as long as the poller lives (a
     * descriptor is waited on again and again, and the kernel reuses numbers, lowest first), so
     * there are never more than the highest descriptor number ever waited on.
     */
    private static final class Watch {
        final IoWaiters waiters = new IoWaiters();
        /**
         * Whether the number was last seen in the epoll set: chooses MOD or ADD first. Only a hint,
         * since closing a descriptor drops it from the set without telling anyone.
         */
        boolean registered;
    }

    /**
     * Blocks the current greenlet until {@code fd} is ready for {@code event} ({@link #EPOLLIN}
     * or {@link #EPOLLOUT}), {@link #stop} wakes it, the deadline passes, or (the waiter being
     * interruptible) its thread is interrupted. {@code stillWanted} is checked once registered,
     * so a close that races with the registration is not missed. True unless it timed out.
     * {@code what} describes the wait in dumps (turned into text only when shown).
     *
     * <p>Each wait costs one epoll_ctl: the descriptor stays in the epoll set as a one-shot
     * registration, re-armed here. When the wait ends without the event, the registration stays
     * armed; should it fire with nobody waiting, {@link #dispatch} ignores it (one-shot has disarmed
     * it by then).
     */
    boolean await(int fd, int event, long deadline, BooleanSupplier stillWanted, Object what) {
        Greenlet<?> me = Greenlet.current();
        if (fd < 0) throw new UncheckedIOException(new IOException("epoll_ctl failed for fd " + fd + ": errno 9 (EBADF)"));
        Waiter<Void> w = new Waiter<Void>(me, what).interruptible();
        w.external = true;
        Watch watch = watch(fd);
        watch.waiters.add(w, event);
        int rc = arm(fd, watch);
        if (rc != 0) {
            watch.waiters.remove(w);
            if (rc == EPERM) return true; // a descriptor epoll cannot watch (a regular file): it is always ready
            throw new UncheckedIOException(new IOException("epoll_ctl failed for fd " + fd + ": errno " + rc));
        }
        hub.ioWaiters++;
        try {
            if (stillWanted != null && !stillWanted.getAsBoolean()) return true;
            return me.block(w, deadline);
        } finally {
            hub.ioWaiters--;
            watch.waiters.remove(w); // still there unless dispatch or stop woke it
        }
    }

    private Watch watch(int fd) {
        if (fd >= watches.length) watches = Arrays.copyOf(watches, Math.max(fd + 1, watches.length * 2));
        Watch watch = watches[fd];
        if (watch == null) watches[fd] = watch = new Watch();
        return watch;
    }

    /**
     * (Re-)arms {@code fd}'s one-shot registration for what its waiters want; 0 or an errno. A
     * number that left the set when its descriptor was closed (and now names a new one) gets
     * ENOENT from MOD and is added again.
     */
    private int arm(int fd, Watch watch) {
        int interest = watch.waiters.interest() | EPOLLONESHOT;
        int rc;
        if (watch.registered) {
            rc = ctl(CTL_MOD, fd, interest);
            if (rc == ENOENT) rc = ctl(CTL_ADD, fd, interest);
        } else {
            rc = ctl(CTL_ADD, fd, interest);
            if (rc == EEXIST) rc = ctl(CTL_MOD, fd, interest);
        }
        watch.registered = rc == 0;
        return rc;
    }

    /** Wakes the greenlets waiting on {@code fd} for {@code event} (0: any event). Hub thread. */
    void stop(int fd, int event) {
        if (fd < 0 || fd >= watches.length || watches[fd] == null) return;
        watches[fd].waiters.wake(event == 0 ? -1 : event);
    }

    /** Wakes, on every hub, the greenlets waiting on {@code fd} (a socket being closed or shut down). Any thread. */
    static void stopAll(int fd, int event) {
        if (ALL.isEmpty()) return;
        for (FdPoller p : ALL) {
            if (p.hub.isHubThread()) p.stop(fd, event);
            else p.hub.post(() -> p.stop(fd, event));
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: no limit, 0: just look) for descriptors, the
     * hub's selector or a wake-up, then wakes the greenlets whose descriptors are ready.
     */
    void poll(long timeoutNanos, Selector selector) {
        watchSelector(selector);
        int ms;
        if (timeoutNanos < 0) ms = -1;
        else if (timeoutNanos == 0) ms = 0;
        else ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        if (selector != null && selectorFdUnknown && (ms < 0 || ms > 10)) ms = 10;
        selectorReady = selector != null && selectorFdUnknown;
        int found = collect(ms, 0);
        if (ms == 0 && hub.isSeeded()) {
            // a seeded run must not depend on how far the kernel got: loopback data and connects
            // between this JVM's own sockets are delivered by the network softirq, which a busy
            // machine defers to a kernel thread. Let it run until a look finds nothing new.
            for (int round = 0; round < SETTLE_ROUNDS; round++) {
                Thread.yield();
                int before = found;
                found = collect(0, found);
                if (found == before) break;
            }
        }
        // the kernel lists descriptors in the order they turned ready, which timing decides
        hub.orderReady(readyFds, found);
        for (int i = 0; i < found; i++) {
            hub.ioCause(readyFds[i], readyEvents[readyFds[i]]);
            dispatch(readyFds[i], readyEvents[readyFds[i]]);
        }
        hub.ioCause(-1, 0);
        if (selectorReady) hub.selectNowAndDispatch();
    }

    private static final int SETTLE_ROUNDS = 8;
    private boolean selectorReady;

    /** One epoll_wait: appends the descriptors it reports to {@code readyFds} from {@code found} on; the new count. */
    private int collect(int ms, int found) {
        int n;
        try {
            n = (int) Native.WAIT.invokeExact(epfd, events, MAX_EVENTS - found, ms);
        } catch (IOException e) {
            throw new UncheckedIOException("the hub's epoll_wait failed", e);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
        for (int i = 0; i < n; i++) {
            try {
                long ev = (long) Native.GET_EVENT.invokeExact(events, i);
                int fd = (int) Native.GET_FD.invokeExact(ev);
                int ready = (int) Native.GET_EVENTS.invokeExact(ev);
                if (fd == efd) {
                    Native.EFD_RESET.invokeExact(eventFd);
                } else if (fd == selectorFd) {
                    selectorReady = true;
                } else {
                    readyFds[found++] = fd;
                    if (fd >= readyEvents.length) readyEvents = Arrays.copyOf(readyEvents, Math.max(fd + 1, readyEvents.length * 2));
                    readyEvents[fd] = ready;
                }
            } catch (Throwable t) {
                throw Coop.unchecked(t);
            }
        }
        return found;
    }

    private void dispatch(int fd, int ready) {
        if (fd >= watches.length || watches[fd] == null) return;
        Watch watch = watches[fd];
        watch.waiters.wake((ready & (EPOLLERR | EPOLLHUP)) != 0 ? -1 : ready);
        if (watch.waiters.isEmpty()) return;
        // one-shot disarmed the descriptor: re-arm it for those still waiting (another event); if
        // that fails, wake them too and let them find out (a spurious wake-up is harmless)
        if (arm(fd, watch) != 0) watch.waiters.wake(-1);
    }

    /** Wakes the hub from another thread. */
    void wakeup() {
        try {
            Native.EFD_SET.invokeExact(eventFd);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }

    private void watchSelector(Selector selector) {
        if (selector == null || selector == watchedSelector) return;
        watchedSelector = selector;
        try {
            Class<?> c = selector.getClass();
            VarHandle h = MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, "epfd", int.class);
            selectorFd = (int) h.get(selector);
            ctl(CTL_ADD, selectorFd, EPOLLIN);
            selectorFdUnknown = false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            selectorFdUnknown = true; // not an epoll selector: look at it at least every 10 ms
        }
    }

    private int ctl(int op, int fd, int ev) {
        try {
            return (int) Native.CTL.invokeExact(epfd, op, fd, ev);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }
}
