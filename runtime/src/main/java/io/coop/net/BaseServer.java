package io.coop.net;

import io.coop.Config;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.HubGroup;
import io.coop.WaitQueue;
import io.coop.pool.Pool;
import io.coop.sync.AsyncResult;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What {@link StreamServer} and {@link DatagramServer} share (gevent's {@code BaseServer}): a
 * serving loop in a greenlet, a greenlet per connection or datagram (optionally capped by a
 * {@link Pool}), {@code start}, {@code serveForever} and {@code stop} with a grace period.
 *
 * <pre>{@code
 * try (StreamServer server = new StreamServer(address, handler).start()) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>A server belongs to the hub of the thread that created it: call it from that hub's greenlets.
 *
 * <p><b>Several hubs.</b> With {@code hubs(n)} (before {@code start()}), {@code start()} also
 * starts {@code n - 1} hub threads ({@link HubGroup}) and a server of the same kind and settings
 * on each, bound to the same address: every hub has its own listening socket with
 * {@code SO_REUSEPORT} and the kernel spreads connections (or datagrams, by sender) over them; a
 * connection lives on the hub that accepted it. Where the option is missing (or
 * {@code coop.reusePort=false}), this server's socket alone accepts and hands connections to the
 * hubs in turn. Limits ({@code setMaxConnections}, {@code setMaxHandlers}) apply per hub; a
 * {@link Pool} of one's own belongs to one hub and cannot be combined with {@code hubs(n)}.
 * {@code stop} stops every hub's server and ends the threads; the counters add up every hub's.
 */
public abstract class BaseServer implements AutoCloseable {
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(1);
    /** Made when the first server is, while descriptors are free: logging an EMFILE must not need one. */
    private static final System.Logger LOG = System.getLogger("io.coop");

    final InetSocketAddress requested;
    final Hub hub;
    private int maxHandlers;
    private Pool pool;
    private final LinkedHashSet<Greenlet<?>> handlers = new LinkedHashSet<>();
    private final WaitQueue<Void> stopWaiters = new WaitQueue<>();
    private Greenlet<?> loop;
    private InetSocketAddress bound;
    private boolean started, stopped;
    private volatile int peak;
    /** Handlers running now, readable from other hubs' threads (the counters add up every hub's). */
    private volatile int running;

    /** How many hubs serve, this one included ({@code hubs(n)}). */
    private int hubCount = 1;
    /** True when the caller gave its own Pool (not one made from a cap): it belongs to this hub alone. */
    private boolean ownPool;
    /** With {@code hubs(n)}: the hub threads started for the others, and the server on each (in the group's order). */
    private HubGroup group;
    private volatile List<BaseServer> replicas = List.of();
    /** How this server takes its share of the address (see {@link Role}). */
    Role role = Role.ALONE;
    private int turn;

    /**
     * What a server does in a group of hubs. ALONE: one hub, its own socket. SHARED: each hub's
     * server binds the address with SO_REUSEPORT and accepts for itself. HANDS_OUT: this one
     * accepts for all and hands connections to the others in turn. HANDED: binds nothing; takes
     * what it is handed.
     */
    enum Role { ALONE, SHARED, HANDS_OUT, HANDED }

    BaseServer(InetSocketAddress requested, Pool pool) {
        this.requested = Objects.requireNonNull(requested, "address");
        this.hub = Hub.current();
        this.pool = pool;
        this.ownPool = pool != null;
        if (pool != null) this.maxHandlers = pool.capacity();
    }

    // ---------------------------------------------------------------- what a kind of server supplies

    /** Opens and binds the socket (non-blocking); returns the address it is bound to. */
    abstract InetSocketAddress bind() throws IOException;

    /** Receives connections or datagrams until stopped, handing each to {@link #spawnHandler}. */
    abstract void serve();

    /** Closes the socket: the serving loop ends. */
    abstract void closeSocket();

    /** What the loop greenlet is called: "accept 127.0.0.1:80". */
    abstract String loopName();

    /** A hook for subclasses, run by {@link #stop} after the socket is closed and before the grace period. */
    protected void beforeGrace() {
    }

    /**
     * A server of the same kind and settings on {@code address} for another hub of {@code hubs(n)}:
     * called on that hub's thread; not started.
     */
    abstract BaseServer replica(InetSocketAddress address);

    // ---------------------------------------------------------------- settings

    final void setHandlerCap(int max, String what) {
        if (max < 0) throw new IllegalArgumentException(what + " must not be negative: " + max);
        checkNotStarted();
        this.maxHandlers = max;
        this.pool = null;
        this.ownPool = false;
    }

    final void setHandlerPool(Pool pool) {
        checkNotStarted();
        this.pool = pool;
        this.ownPool = pool != null;
        if (pool != null) this.maxHandlers = pool.capacity();
    }

    /** {@code hubs(n)}: see the class comment. */
    final void setHubCount(int n) {
        if (n < 1) throw new IllegalArgumentException("hubs must be at least 1: " + n);
        checkNotStarted();
        this.hubCount = n;
    }

    /** How many hubs serve ({@code hubs(n)}). */
    final int hubCount() {
        return hubCount;
    }

    /** The limit per hub, copied to a replica. */
    final int handlerCap() {
        return maxHandlers;
    }

    /** True when the kernel can spread one address's connections over several sockets (SO_REUSEPORT), and it is not turned off. */
    static boolean kernelSpreads(NetworkChannel channel) {
        return channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT) && Config.flag("reusePort", true);
    }

    /** For {@link #bind()}: sets SO_REUSEPORT on {@code channel} when this server shares its address with other hubs' sockets. */
    final void shareAddress(NetworkChannel channel) throws IOException {
        if (role == Role.ALONE && hubCount > 1) role = kernelSpreads(channel) ? Role.SHARED : Role.HANDS_OUT;
        if (role == Role.SHARED) channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }

    final void checkNotStarted() {
        if (started) throw new IllegalStateException("the server is already started");
    }

    /** The pool that caps handlers, or null. */
    public Pool pool() {
        return pool;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the address and starts serving in a greenlet; returns at once. Idempotent. */
    public BaseServer start() {
        hub.checkHubThread(this, "start");
        if (stopped) throw new IllegalStateException("the server was stopped; make a new one");
        if (started) return this;
        if (hubCount > 1 && ownPool) {
            throw new IllegalStateException("a Pool belongs to one hub and cannot serve hubs(" + hubCount
                    + "); cap connections per hub with setMaxConnections/setMaxHandlers instead");
        }
        if (role == Role.HANDED) {
            bound = requested;
        } else {
            try {
                bound = bind();
            } catch (IOException e) {
                closeSocket();
                throw new java.io.UncheckedIOException("cannot bind " + requested + ": " + e.getMessage(), e);
            }
        }
        if (pool == null && maxHandlers > 0) pool = new Pool(maxHandlers);
        started = true;
        if (role != Role.HANDED) {
            loop = new Greenlet<>(() -> {
                serve();
                return null;
            });
            loop.setName(loopName());
            loop.start();
        }
        if (hubCount > 1) startReplicas();
        return this;
    }

    /** Starts a server of this kind on each of {@code hubCount - 1} new hubs; on any failure, none is left running. */
    private void startReplicas() {
        group = HubGroup.start(hubCount - 1);
        Role theirs = role == Role.SHARED ? Role.SHARED : Role.HANDED;
        InetSocketAddress at = bound;
        List<AsyncResult<BaseServer>> starts = new ArrayList<>();
        for (Hub h : group.hubs()) {
            starts.add(AsyncResult.spawnOn(h, () -> {
                BaseServer r = replica(at);
                r.role = theirs;
                return r.start();
            }));
        }
        List<BaseServer> up = new ArrayList<>();
        RuntimeException failure = null;
        for (AsyncResult<BaseServer> s : starts) {
            try {
                up.add(s.get(Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        replicas = List.copyOf(up);
        if (failure != null) {
            stop(Duration.ZERO);
            throw new IllegalStateException("cannot start " + loopName() + " on all " + hubCount + " hubs: " + failure.getMessage(), failure);
        }
    }

    /** Where the next connection goes: this server, or with {@link Role#HANDS_OUT} each hub's server in turn. */
    final BaseServer nextInTurn() {
        if (role != Role.HANDS_OUT || replicas.isEmpty()) return this;
        int k = turn++ % (replicas.size() + 1);
        return k == 0 ? this : replicas.get(k - 1);
    }

    /** Starts the server if needed, then waits until it is stopped. */
    public void serveForever() {
        start();
        if (!stopped) stopWaiters.await("serveForever(" + bound + ")", Hub.NO_DEADLINE);
    }

    /**
     * Stops serving, waits up to {@code grace} (null: no limit) for running handlers to end, then
     * kills those left (their finally blocks run) and waits for them. Idempotent.
     */
    public void stop(Duration grace) {
        long deadline = Coop.deadline(grace, "grace");
        hub.checkHubThread(this, "stop");
        if (stopped) return;
        stopped = true;
        if (loop != null) loop.kill(new GreenletExit("server stopped"), false, null);
        if (role != Role.HANDED) closeSocket();
        List<AsyncResult<Object>> others = new ArrayList<>();
        for (BaseServer r : replicas) others.add(AsyncResult.spawnOn(r.hub, () -> {
            r.stop(grace);
            return null;
        }));
        beforeGrace();
        Greenlet<?> me = Coop.current();
        List<Greenlet<?>> live = handlersExcept(me);
        if (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left > 0) Coop.joinAll(live, deadline == Hub.NO_DEADLINE ? null : Duration.ofNanos(left));
            live = handlersExcept(me);
            if (!live.isEmpty()) Coop.killAll(live, null, true, DEFAULT_STOP_GRACE);
        }
        for (AsyncResult<Object> o : others) {
            o.await(null); // each stops within its grace, then kills
            if (o.exception() != null) log(System.Logger.Level.WARNING, "stopping " + loopName() + " on another hub failed", o.exception());
        }
        if (group != null) group.close();
        stopWaiters.wakeAll(null);
    }

    /** {@code stop(1 s)}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    boolean isStopped() {
        return stopped;
    }

    private List<Greenlet<?>> handlersExcept(Greenlet<?> me) {
        List<Greenlet<?>> live = new ArrayList<>(handlers);
        live.remove(me);
        return live;
    }

    /** Waits while the pool is full, so that new work stays in the kernel's queue. */
    void waitForFreeHandler() {
        if (pool != null) pool.waitAvailable();
    }

    /** Runs {@code body} in a new handler greenlet, tracked until it ends (in the pool, if any). */
    void spawnHandler(Callable<?> body) {
        Greenlet<Object> g = new Greenlet<>(() -> {
            body.call();
            return null;
        });
        handlers.add(g);
        running = handlers.size();
        if (handlers.size() > peak) peak = handlers.size();
        g.link(done -> {
            handlers.remove(done);
            running = handlers.size();
        });
        if (pool != null) pool.start(g); // a slot is free (or it waits for one: the pool may be shared)
        else g.start();
    }

    static void log(System.Logger.Level level, String msg, Throwable t) {
        try {
            LOG.log(level, msg, t);
        } catch (Throwable logFailure) {
            // logging may itself need a descriptor (running out of them is the usual accept failure)
            System.err.println("coop: " + level + ": " + msg + (t == null ? "" : ": " + t) + " (the logger failed: " + logFailure + ")");
        }
    }

    static boolean loggable(System.Logger.Level level) {
        try {
            return LOG.isLoggable(level);
        } catch (Throwable logFailure) {
            return false;
        }
    }

    static void closeQuietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    // ---------------------------------------------------------------- introspection

    /** The bound address once started (with the actual port when 0 was asked), else the requested one. */
    public InetSocketAddress address() {
        return bound != null ? bound : requested;
    }

    /** True between {@link #start()} and {@link #stop}. */
    public boolean isServing() {
        return started && !stopped;
    }

    /** Handlers (connections, datagrams) running now, on every hub. Any thread. */
    int handlerCount() {
        int n = running;
        for (BaseServer r : replicas) n += r.running;
        return n;
    }

    /** The most handlers running at once so far (on this hub; with several hubs, the largest of each hub's peaks). */
    int peakHandlers() {
        int p = peak;
        for (BaseServer r : replicas) p = Math.max(p, r.peak);
        return p;
    }

    /** Adds up {@code count} over this server and the servers of the same kind on the other hubs of {@code hubs(n)}. Any thread. */
    protected final long sumOverHubs(java.util.function.ToLongFunction<BaseServer> count) {
        long n = count.applyAsLong(this);
        for (BaseServer r : replicas) n += count.applyAsLong(r);
        return n;
    }

    /** The server on each other hub of {@code hubs(n)}, in hub order (empty with one hub). */
    final List<BaseServer> replicas() {
        return replicas;
    }

    /** The hub this server runs on (with {@code hubs(n)}: the hub that started it). */
    public Hub hub() {
        return hub;
    }

    /** Every hub serving: this server's own, then the others of {@code hubs(n)} once started. */
    public List<Hub> hubs() {
        List<Hub> all = new ArrayList<>(replicas.size() + 1);
        all.add(hub);
        for (BaseServer r : replicas) all.add(r.hub);
        return all;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address() + (isServing() ? ", serving " + handlers.size() + " handler(s)"
                : started ? ", stopped" : ", not started") + "]";
    }
}
