package io.coop.net;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.pool.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A TCP server on the hub (gevent's {@code StreamServer}): an accept loop in a greenlet, and a
 * greenlet per connection that runs the handler as plain blocking code.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     try (StreamServer echo = new StreamServer(new InetSocketAddress("127.0.0.1", 7000),
 *             (socket, peer) -> socket.getInputStream().transferTo(socket.getOutputStream()))) {
 *         echo.serveForever();            // until stop() is called from another greenlet
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <ul>
 * <li>{@link #start()} binds and starts accepting, then returns; {@link #serveForever()} also
 *     waits until the server is stopped.</li>
 * <li>A {@link Pool} caps live connections (gevent's {@code spawn=pool}): while it is full the
 *     server stops accepting (new clients wait in the kernel's backlog) until a connection ends.
 *     {@link #setMaxConnections(int)} makes a pool of that size.</li>
 * <li>{@link #stop(Duration)} stops accepting, gives running handlers up to {@code grace} to
 *     finish, then kills the rest (their finally blocks run). {@link #close()} is
 *     {@code stop(1 s)}.</li>
 * <li>Accept errors such as "Too many open files" are logged once per burst; the loop backs off
 *     (5 ms doubling up to 1 s) and keeps serving. A handler's exception is logged and ends only
 *     its own connection.</li>
 * </ul>
 *
 * <p>The server belongs to the hub of the thread that created it: call its methods from that
 * hub's greenlets.
 */
public class StreamServer implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("io.coop");
    private static final long FOREVER = Coop.deadline(null, "timeout");
    private static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(1);

    private final InetSocketAddress requested;
    private final ChannelHandler handler;
    private final Hub hub;
    private int backlog = 1024;
    private int maxConnections;
    private boolean noDelay;
    private ServerSocketChannel listener;
    private InetSocketAddress bound;
    private Greenlet<?> acceptor;
    private Pool pool;
    private final LinkedHashSet<Greenlet<?>> connections = new LinkedHashSet<>();
    private final WaitQueue<Void> stopWaiters = new WaitQueue<>();
    private boolean started, stopped;
    private long accepted;
    private int peak;

    /** A server that runs {@code handler} with a {@link CoopSocket} for each connection to {@code address}. */
    public StreamServer(InetSocketAddress address, ConnectionHandler handler) {
        this(address, socketHandler(Objects.requireNonNull(handler, "handler")), true);
    }

    /**
     * A server whose connections run in greenlets of {@code pool}: at most {@code pool.capacity()}
     * at once, counting whatever else the pool runs.
     */
    public StreamServer(InetSocketAddress address, ConnectionHandler handler, Pool pool) {
        this(address, handler);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.maxConnections = pool.capacity();
    }

    /** A server whose handler works on the non-blocking channel itself. */
    public static StreamServer forChannels(InetSocketAddress address, ChannelHandler handler) {
        return new StreamServer(address, Objects.requireNonNull(handler, "handler"), true);
    }

    /** For subclasses that serve channels. */
    protected StreamServer(InetSocketAddress address, ChannelHandler handler, boolean unused) {
        this.requested = Objects.requireNonNull(address, "address");
        this.handler = handler;
        this.hub = Hub.current();
    }

    /**
     * For subclasses: a server on a listener the caller has already bound (so its address is
     * known before {@link #start()}); the server takes it over and closes it when stopped.
     */
    protected StreamServer(ServerSocketChannel listener, ChannelHandler handler) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.hub = Hub.current();
        try {
            this.requested = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (requested == null) throw new IllegalArgumentException("the listener is not bound");
    }

    private static ChannelHandler socketHandler(ConnectionHandler handler) {
        return (channel, peer) -> {
            try (CoopSocket socket = new CoopSocket(channel)) {
                handler.handle(socket, peer);
            }
        };
    }

    // ---------------------------------------------------------------- settings (before start)

    /** The listen backlog (default 1024; the kernel caps it at net.core.somaxconn). */
    public StreamServer setBacklog(int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be positive: " + backlog);
        checkNotStarted();
        this.backlog = backlog;
        return this;
    }

    /** At most {@code max} connections at once (0: no limit, the default): the server makes a {@link Pool} of that size. */
    public StreamServer setMaxConnections(int max) {
        if (max < 0) throw new IllegalArgumentException("maxConnections must not be negative: " + max);
        checkNotStarted();
        this.maxConnections = max;
        this.pool = null;
        return this;
    }

    /** Runs connections in greenlets of {@code pool} (null: no cap): while it is full, the server does not accept. */
    public StreamServer setPool(Pool pool) {
        checkNotStarted();
        this.pool = pool;
        if (pool != null) this.maxConnections = pool.capacity();
        return this;
    }

    /** The pool that caps connections, or null. */
    public Pool pool() {
        return pool;
    }

    /** Sets TCP_NODELAY on every accepted connection (default off). */
    public StreamServer setNoDelay(boolean on) {
        checkNotStarted();
        this.noDelay = on;
        return this;
    }

    private void checkNotStarted() {
        if (started) throw new IllegalStateException("the server is already started");
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the address and starts accepting in a greenlet; returns at once. Idempotent. */
    public StreamServer start() {
        checkHub();
        if (stopped) throw new IllegalStateException("the server was stopped; make a new one");
        if (started) return this;
        try {
            if (listener == null) {
                listener = ServerSocketChannel.open();
                listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                listener.bind(requested, backlog);
            }
            listener.configureBlocking(false);
            bound = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            closeQuietly(listener);
            throw new UncheckedIOException("cannot listen on " + requested + ": " + e.getMessage(), e);
        }
        if (pool == null && maxConnections > 0) pool = new Pool(maxConnections);
        // the usual accept failure is running out of descriptors, and the first log record loads
        // the time-zone file: load it now, while a descriptor is free
        java.time.ZoneId.systemDefault().getRules();
        started = true;
        acceptor = new Greenlet<>(() -> {
            acceptLoop();
            return null;
        });
        acceptor.setName("accept " + bound);
        acceptor.start();
        return this;
    }

    /** Starts the server if needed, then waits until it is stopped. */
    public void serveForever() {
        start();
        if (!stopped) stopWaiters.await("serveForever(" + bound + ")", FOREVER);
    }

    /**
     * Stops accepting, waits up to {@code grace} (null: no limit) for running connections to end,
     * then kills those left and waits for them. Idempotent.
     */
    public void stop(Duration grace) {
        long deadline = Coop.deadline(grace, "grace");
        checkHub();
        if (stopped) return;
        stopped = true;
        if (acceptor != null) acceptor.kill(new GreenletExit("server stopped"), false, null);
        closeQuietly(listener);
        beforeGrace();
        Greenlet<?> me = Coop.current();
        List<Greenlet<?>> live = liveExcept(me);
        if (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left > 0) Coop.joinAll(live, deadline == FOREVER ? null : Duration.ofNanos(left));
            live = liveExcept(me);
            if (!live.isEmpty()) Coop.killAll(live, null, true, DEFAULT_STOP_GRACE);
        }
        stopWaiters.wakeAll(null);
    }

    /** A hook for subclasses, run by {@link #stop} after the listener is closed and before the grace period. */
    protected void beforeGrace() {
    }

    /** {@code stop(1 s)}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    private List<Greenlet<?>> liveExcept(Greenlet<?> me) {
        List<Greenlet<?>> live = new ArrayList<>(connections);
        live.remove(me);
        return live;
    }

    private void checkHub() {
        if (!hub.isHubThread()) {
            throw new IllegalStateException("this server belongs to the hub of thread " + hub.thread().getName()
                    + "; call it from that hub's greenlets");
        }
    }

    // ---------------------------------------------------------------- accepting

    private void acceptLoop() {
        long backoffMillis = 0;
        while (!stopped) {
            if (pool != null) pool.waitAvailable(); // full: leave new clients in the backlog
            SocketChannel ch = null;
            while (ch == null) {
                try {
                    ch = listener.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (stopped) return;
                    if (backoffMillis == 0) {
                        logAcceptFailure(e);
                        backoffMillis = 5;
                    } else {
                        backoffMillis = Math.min(1000, backoffMillis * 2);
                    }
                    Coop.sleep(backoffMillis);
                    continue;
                }
                if (ch == null) hub.waitIo(listener, SelectionKey.OP_ACCEPT, FOREVER);
            }
            backoffMillis = 0;
            spawnConnection(ch);
        }
    }

    private void logAcceptFailure(IOException e) {
        String msg = "accept on " + bound + " failed: " + e + "; backing off and retrying (logged once per burst)";
        try {
            LOG.log(System.Logger.Level.WARNING, msg);
        } catch (Throwable logFailure) {
            // logging may itself need a descriptor (running out of them is the usual cause)
            System.err.println("coop: WARNING: " + msg + " (the logger failed: " + logFailure + ")");
        }
    }

    private void spawnConnection(SocketChannel ch) {
        accepted++;
        InetSocketAddress peer;
        try {
            ch.configureBlocking(false);
            if (noDelay) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(ch);
            return;
        }
        Greenlet<Object> g = new Greenlet<>(() -> {
            serveConnection(ch, peer);
            return null;
        });
        connections.add(g);
        if (connections.size() > peak) peak = connections.size();
        g.link(connections::remove);
        if (pool != null) pool.start(g); // a slot is free (or it waits for one: the pool is shared)
        else g.start();
    }

    private void serveConnection(SocketChannel ch, InetSocketAddress peer) {
        try {
            handler.handle(ch, peer);
        } catch (GreenletExit e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) throw (Error) t;
            LOG.log(System.Logger.Level.ERROR, "connection from " + peer + " to " + bound + " failed", t);
        } finally {
            closeQuietly(ch);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
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

    /** Connections being served now. */
    public int connectionCount() {
        return connections.size();
    }

    /** The most connections served at once so far. */
    public int peakConnections() {
        return peak;
    }

    /** Connections accepted so far. */
    public long acceptedCount() {
        return accepted;
    }

    /** The hub this server runs on. */
    public Hub hub() {
        return hub;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address() + (isServing() ? ", serving " + connections.size() + " connection(s)" : started ? ", stopped" : ", not started") + "]";
    }
}
