package io.coop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@link IoDriver} on one Linux epoll instance (the JDK's own {@code sun.nio.ch.EPoll}),
 * with an eventfd to wake it from other threads. It waits on raw descriptors, which is what lets
 * the agent route the JDK's socket and selector parks ({@code sun.nio.ch.Poller}) to the hub (a
 * greenlet blocked in {@code Socket.read} waits here, and no JDK poller thread is involved), and
 * on channels by their descriptor, so a hub needs nothing else.
 *
 * <p>Each wait costs one epoll_ctl: a descriptor stays in the epoll set as a one-shot
 * registration, re-armed when a greenlet waits on it. When a wait ends without the event the
 * registration stays armed; should it fire with nobody waiting, the dispatch ignores it (one-shot
 * has disarmed it by then). A descriptor closed under a waiter leaves the epoll set silently:
 * the JDK says so for its sockets ({@code Poller.stopPoll}, here {@link #stopAll}), and for
 * channel waits a sweep wakes the waiters of closed channels, as {@link SelectorDriver} does.
 *
 * <p>Needs {@code java.base/sun.nio.ch} open to coop (the agent opens it itself); Linux only.
 *
 * <pre>{@code
 * // inside a greenlet (what a patched sun.nio.ch.Poller.poll does):
 * AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, socketIsOpen);
 * }</pre>
 */
final class EpollDriver extends IoDriver {
    static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10;
    private static final int CTL_ADD = 1, CTL_MOD = 3;
    private static final int MAX_EVENTS = 256;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EEXIST = 17, ENOENT = 2, EPERM = 1;

    /** Every open driver, so that a close on any thread can wake the greenlets waiting on its descriptor. */
    private static final Set<EpollDriver> ALL = ConcurrentHashMap.newKeySet();

    /** The JDK's epoll, eventfd and channel descriptors, looked up when the first hub opens a driver (not at start-up). */
    private static final class Native {
        static final MethodHandle CREATE, CTL, WAIT, ALLOC, GET_EVENT, GET_FD, GET_EVENTS, EFD_NEW, EFD_FD, EFD_SET, EFD_RESET;
        static final MethodHandle FD_VAL;
        static final Class<?> SEL_CH_IMPL;

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
                SEL_CH_IMPL = Class.forName("sun.nio.ch.SelChImpl");
                FD_VAL = MethodHandles.privateLookupIn(SEL_CH_IMPL, MethodHandles.lookup())
                        .findVirtual(SEL_CH_IMPL, "getFDVal", MethodType.methodType(int.class))
                        .asType(MethodType.methodType(int.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static volatile Boolean available;
    private static volatile Throwable unavailable;

    private final Thread owner;
    private final int epfd;
    private final long events;
    private final Object eventFd;
    private final int efd;
    /** Indexed by descriptor number (small: the kernel hands out the lowest free one). */
    private Watch[] watches = new Watch[64];
    /** Stops asked by other threads ({@link #stopAll}): descriptor and event, packed; run by the next poll. */
    private final ConcurrentLinkedQueue<Long> stops = new ConcurrentLinkedQueue<>();
    /** Lines that had a channel waiter since the last sweep. */
    private final ArrayList<Watch> swept = new ArrayList<>();
    private long lastSweep = System.nanoTime();

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
                a = EpollDriver.class.getModule().canRead(epoll.getModule())
                        && epoll.getModule().isOpen("sun.nio.ch", EpollDriver.class.getModule());
                if (!a) unavailable = new IllegalAccessException("java.base/sun.nio.ch is not open to coop");
            } catch (ClassNotFoundException | RuntimeException e) {
                unavailable = e;
                a = false;
            }
            if (a) available = a; // a "no" may change once the agent opens sun.nio.ch
        }
        return a;
    }

    /** A driver for the hub of thread {@code owner}; a clear error where epoll cannot be used. */
    static EpollDriver open(Thread owner) {
        if (!isAvailable()) {
            throw new UnsupportedOperationException("coop cannot poll file descriptors on this JVM (it needs Linux and "
                    + "java.base/sun.nio.ch open to coop, which -javaagent:coop.jar arranges): " + unavailable, unavailable);
        }
        try {
            EpollDriver d = new EpollDriver(owner);
            ALL.add(d);
            return d;
        } catch (Throwable t) {
            throw new UncheckedIOException(new IOException("cannot create the hub's epoll instance", t));
        }
    }

    private EpollDriver(Thread owner) throws Throwable {
        this.owner = owner;
        this.epfd = (int) Native.CREATE.invokeExact();
        this.events = (long) Native.ALLOC.invokeExact(MAX_EVENTS);
        this.eventFd = (Object) Native.EFD_NEW.invokeExact();
        this.efd = (int) Native.EFD_FD.invokeExact(eventFd);
        ctl(CTL_ADD, efd, EPOLLIN);
    }

    /**
     * The greenlets waiting on one descriptor number. Kept for as long as the driver lives (a
     * descriptor is waited on again and again, and the kernel reuses numbers, lowest first), so
     * there are never more than the highest descriptor number ever waited on.
     */
    private static final class Watch extends IoWaiters {
        /**
         * Whether the number was last seen in the epoll set: chooses MOD or ADD first. Only a hint,
         * since closing a descriptor drops it from the set without telling anyone.
         */
        boolean registered;
        /** True while in {@code swept}. */
        boolean listed;
    }

    @Override
    boolean join(SelectableChannel channel, int fd, int ops, Waiter<Void> w) {
        int event = ops;
        if (channel != null) {
            if (!channel.isOpen()) throw new UncheckedIOException(new ClosedChannelException());
            if ((ops & ~channel.validOps()) != 0) throw new IllegalArgumentException("ops " + ops + " are not valid for " + channel);
            fd = fdOf(channel);
            event = ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? EPOLLIN : 0)
                    | ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? EPOLLOUT : 0);
        }
        if (fd < 0) throw new UncheckedIOException(new IOException("epoll_ctl failed for fd " + fd + ": errno 9 (EBADF)"));
        Watch watch = watch(fd);
        watch.add(w, event, channel);
        int rc = arm(fd, watch);
        if (rc != 0) {
            watch.remove(w);
            w.attachment = null;
            if (rc == EPERM) return false; // a descriptor epoll cannot watch (a regular file): it is always ready
            throw new UncheckedIOException(new IOException("epoll_ctl failed for fd " + fd + ": errno " + rc));
        }
        if (channel != null && !watch.listed) {
            watch.listed = true;
            swept.add(watch);
        }
        return true;
    }

    /** The descriptor number of {@code channel} (a JDK channel). */
    static int fdOf(SelectableChannel channel) {
        if (!Native.SEL_CH_IMPL.isInstance(channel)) {
            throw new IllegalArgumentException("the hub's epoll cannot wait on a channel of provider " + channel.provider() + ": " + channel);
        }
        try {
            return (int) Native.FD_VAL.invokeExact((Object) channel);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
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
        int interest = watch.interest() | EPOLLONESHOT;
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

    @Override
    void left(IoWaiters line) {
        // the one-shot registration stays armed; a late event finds nobody and is ignored
    }

    /** Wakes the greenlets waiting on {@code fd} for {@code event} (0: any event). Owner thread. */
    private void stop(int fd, int event) {
        if (fd < 0 || fd >= watches.length || watches[fd] == null) return;
        watches[fd].wake(event == 0 ? -1 : event);
    }

    /**
     * Wakes, on every hub, the greenlets waiting on {@code fd} for {@code event} (0: any): a
     * socket being closed or shut down. Any thread: on a hub's own thread at once, for the other
     * hubs at their next poll.
     */
    static void stopAll(int fd, int event) {
        if (ALL.isEmpty()) return;
        Thread me = Substrate.currentCarrierThread();
        for (EpollDriver d : ALL) {
            if (d.owner == me) {
                d.stop(fd, event);
            } else {
                d.stops.add(((long) fd << 32) | (event & 0xffffffffL));
                d.wakeup();
            }
        }
    }

    private void runStops() {
        Long s;
        while ((s = stops.poll()) != null) stop((int) (s >> 32), (int) (long) s);
    }

    @Override
    void poll(long timeoutNanos) {
        boolean sweeping = !swept.isEmpty();
        if (sweeping) {
            long untilSweep = Math.max(0, lastSweep + SWEEP_INTERVAL_NANOS - System.nanoTime());
            if (timeoutNanos < 0 || timeoutNanos > untilSweep) timeoutNanos = untilSweep;
        }
        if (!stops.isEmpty()) timeoutNanos = 0;
        int n;
        try {
            n = (int) Native.WAIT.invokeExact(epfd, events, MAX_EVENTS, millis(timeoutNanos));
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
                } else {
                    dispatch(fd, ready);
                }
            } catch (Throwable t) {
                throw Coop.unchecked(t);
            }
        }
        runStops();
        if (sweeping) sweepClosedChannels();
    }

    private void dispatch(int fd, int ready) {
        if (fd >= watches.length || watches[fd] == null) return;
        Watch watch = watches[fd];
        watch.wake((ready & (EPOLLERR | EPOLLHUP)) != 0 ? -1 : ready);
        if (watch.isEmpty()) return;
        // one-shot disarmed the descriptor: re-arm it for those still waiting (another event); if
        // that fails, wake them too and let them find out (a spurious wake-up is harmless)
        if (arm(fd, watch) != 0) watch.wake(-1);
    }

    /** Wakes the waiters of channels closed under them (their descriptor left the epoll set unseen). At most every SWEEP_INTERVAL_NANOS. */
    private void sweepClosedChannels() {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) return;
        lastSweep = now;
        int kept = 0;
        for (int i = 0, n = swept.size(); i < n; i++) {
            Watch watch = swept.get(i);
            watch.wakeClosed();
            if (watch.hasChannels()) {
                swept.set(kept++, watch);
            } else {
                watch.listed = false;
            }
        }
        swept.subList(kept, swept.size()).clear();
    }

    @Override
    void moveWaitsTo(IoDriver next) {
        throw new IllegalStateException("the hub's epoll driver is never handed over");
    }

    @Override
    void wakeup() {
        try {
            Native.EFD_SET.invokeExact(eventFd);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }

    @Override
    boolean descriptors() {
        return true;
    }

    @Override
    void close() {
        throw new IllegalStateException("the hub's epoll driver lives as long as its hub");
    }

    @Override
    String kind() {
        return "epoll";
    }

    private int ctl(int op, int fd, int ev) {
        try {
            return (int) Native.CTL.invokeExact(epfd, op, fd, ev);
        } catch (Throwable t) {
            throw Coop.unchecked(t);
        }
    }
}
