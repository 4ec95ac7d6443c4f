package io.coop.net;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.pool.Pool;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
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
    private int peak;

    BaseServer(InetSocketAddress requested, Pool pool) {
        this.requested = Objects.requireNonNull(requested, "address");
        this.hub = Hub.current();
        this.pool = pool;
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

    // ---------------------------------------------------------------- settings

    final void setHandlerCap(int max, String what) {
        if (max < 0) throw new IllegalArgumentException(what + " must not be negative: " + max);
        checkNotStarted();
        this.maxHandlers = max;
        this.pool = null;
    }

    final void setHandlerPool(Pool pool) {
        checkNotStarted();
        this.pool = pool;
        if (pool != null) this.maxHandlers = pool.capacity();
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
        try {
            bound = bind();
        } catch (IOException e) {
            closeSocket();
            throw new java.io.UncheckedIOException("cannot bind " + requested + ": " + e.getMessage(), e);
        }
        if (pool == null && maxHandlers > 0) pool = new Pool(maxHandlers);
        started = true;
        loop = new Greenlet<>(() -> {
            serve();
            return null;
        });
        loop.setName(loopName());
        loop.start();
        return this;
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
        closeSocket();
        beforeGrace();
        Greenlet<?> me = Coop.current();
        List<Greenlet<?>> live = handlersExcept(me);
        if (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left > 0) Coop.joinAll(live, deadline == Hub.NO_DEADLINE ? null : Duration.ofNanos(left));
            live = handlersExcept(me);
            if (!live.isEmpty()) Coop.killAll(live, null, true, DEFAULT_STOP_GRACE);
        }
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
        if (handlers.size() > peak) peak = handlers.size();
        g.link(handlers::remove);
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

    /** Handlers (connections, datagrams) running now. */
    int handlerCount() {
        return handlers.size();
    }

    /** The most handlers running at once so far. */
    int peakHandlers() {
        return peak;
    }

    /** The hub this server runs on. */
    public Hub hub() {
        return hub;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address() + (isServing() ? ", serving " + handlers.size() + " handler(s)"
                : started ? ", stopped" : ", not started") + "]";
    }
}
