package io.coop.net;

import io.coop.Coop;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.pool.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 *     (5 ms doubling up to 1 s) and keeps serving. A handler's exception is logged (ERROR) and
 *     ends only its own connection; one the peer caused (a reset, a broken pipe, an end of stream:
 *     {@link Sockets#isPeerFailure}) is normal traffic: counted ({@link #peerFailureCount()}) and
 *     logged at DEBUG.</li>
 * </ul>
 *
 * <p>The server belongs to the hub of the thread that created it: call its methods from that
 * hub's greenlets.
 */
public class StreamServer extends BaseServer {
    private final ChannelHandler handler;
    private int backlog = 1024;
    private boolean noDelay;
    private ServerSocketChannel listener;
    private volatile long accepted;
    private volatile long peerFailures;

    /** A server that runs {@code handler} with a {@link CoopSocket} for each connection to {@code address}. */
    public StreamServer(InetSocketAddress address, ConnectionHandler handler) {
        this(address, socketHandler(Objects.requireNonNull(handler, "handler")), true);
    }

    /**
     * A server whose connections run in greenlets of {@code pool}: at most {@code pool.capacity()}
     * at once, counting whatever else the pool runs.
     */
    public StreamServer(InetSocketAddress address, ConnectionHandler handler, Pool pool) {
        super(address, Objects.requireNonNull(pool, "pool"));
        this.handler = socketHandler(Objects.requireNonNull(handler, "handler"));
    }

    /** A server whose handler works on the non-blocking channel itself. */
    public static StreamServer forChannels(InetSocketAddress address, ChannelHandler handler) {
        return new StreamServer(address, Objects.requireNonNull(handler, "handler"), true);
    }

    /** For subclasses that serve channels. */
    protected StreamServer(InetSocketAddress address, ChannelHandler handler, boolean unused) {
        super(address, null);
        this.handler = handler;
    }

    /**
     * For subclasses: a server on a listener the caller has already bound (so its address is
     * known before {@link #start()}); the server takes it over and closes it when stopped.
     */
    protected StreamServer(ServerSocketChannel listener, ChannelHandler handler) {
        super(localAddress(Objects.requireNonNull(listener, "listener")), null);
        this.listener = listener;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    private static InetSocketAddress localAddress(ServerSocketChannel listener) {
        try {
            InetSocketAddress a = (InetSocketAddress) listener.getLocalAddress();
            if (a == null) throw new IllegalArgumentException("the listener is not bound");
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        setHandlerCap(max, "maxConnections");
        return this;
    }

    /** Runs connections in greenlets of {@code pool} (null: no cap): while it is full, the server does not accept. */
    public StreamServer setPool(Pool pool) {
        setHandlerPool(pool);
        return this;
    }

    /**
     * Serves the address from {@code n} hubs (default 1): {@code start()} starts {@code n - 1}
     * hub threads, each with its own listening socket on the address ({@code SO_REUSEPORT}); a
     * connection lives on the hub that accepted it. See {@link BaseServer} for the details.
     *
     * <pre>{@code
     * new StreamServer(new InetSocketAddress(7000), echo).hubs(Runtime.getRuntime().availableProcessors()).serveForever();
     * }</pre>
     */
    public StreamServer hubs(int n) {
        setHubCount(n);
        return this;
    }

    /** Sets TCP_NODELAY on every accepted connection (default off). */
    public StreamServer setNoDelay(boolean on) {
        checkNotStarted();
        this.noDelay = on;
        return this;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public StreamServer start() {
        super.start();
        return this;
    }

    @Override
    InetSocketAddress bind() throws IOException {
        if (listener == null) {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            shareAddress(listener);
            listener.bind(requested, backlog);
        } else if (role == Role.ALONE && hubCount() > 1) {
            role = Role.HANDS_OUT; // bound by the caller, without SO_REUSEPORT: its accepts are handed out
        }
        listener.configureBlocking(false);
        // the usual accept failure is running out of descriptors, and the first log record loads
        // the time-zone file: load it now, while a descriptor is free
        java.time.ZoneId.systemDefault().getRules();
        return (InetSocketAddress) listener.getLocalAddress();
    }

    @Override
    void closeSocket() {
        closeQuietly(listener);
    }

    @Override
    String loopName() {
        return "accept " + address();
    }

    // ---------------------------------------------------------------- accepting

    @Override
    void serve() {
        long backoffMillis = 0;
        while (!isStopped()) {
            waitForFreeHandler(); // full: leave new clients in the backlog
            SocketChannel ch = null;
            while (ch == null) {
                try {
                    ch = listener.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (isStopped()) return;
                    if (backoffMillis == 0) {
                        log(System.Logger.Level.WARNING, "accept on " + address() + " failed: " + e
                                + "; backing off and retrying (logged once per burst)", null);
                        backoffMillis = 5;
                    } else {
                        backoffMillis = Math.min(1000, backoffMillis * 2);
                    }
                    Coop.sleep(backoffMillis);
                    continue;
                }
                if (ch == null) hub.waitIo(listener, SelectionKey.OP_ACCEPT, Hub.NO_DEADLINE);
            }
            backoffMillis = 0;
            StreamServer target = (StreamServer) nextInTurn();
            if (target == this) spawnConnection(ch);
            else handTo(target, ch);
        }
    }

    /** {@link Role#HANDS_OUT}: gives a connection accepted here to {@code target}'s hub. */
    private static void handTo(StreamServer target, SocketChannel ch) {
        try {
            target.hub.post(() -> target.adopt(ch));
        } catch (IllegalStateException hubEnded) {
            closeQuietly(ch);
        }
    }

    /** A connection handed over by the accepting hub (a hub callback here): served as if accepted here. */
    private void adopt(SocketChannel ch) {
        if (isStopped()) {
            closeQuietly(ch);
        } else if (pool() == null) {
            spawnConnection(ch);
        } else {
            Coop.spawn(() -> { // a callback cannot wait for a free slot
                waitForFreeHandler();
                if (isStopped()) closeQuietly(ch);
                else spawnConnection(ch);
            });
        }
    }

    @Override
    final BaseServer replica(InetSocketAddress address) {
        StreamServer r = newReplica(address);
        r.backlog = backlog;
        r.noDelay = noDelay;
        if (handlerCap() > 0) r.setHandlerCap(handlerCap(), "maxConnections");
        return r;
    }

    /**
     * For subclasses with state of their own per hub: a server of this kind on {@code address}
     * for another hub of {@link #hubs(int)}, made on that hub's thread (backlog, TCP_NODELAY and
     * the connection limit are copied afterwards). The default serves the same handler.
     */
    protected StreamServer newReplica(InetSocketAddress address) {
        return new StreamServer(address, handler, true);
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
        spawnHandler(() -> {
            serveConnection(ch, peer);
            return null;
        });
    }

    private void serveConnection(SocketChannel ch, InetSocketAddress peer) {
        try {
            handler.handle(ch, peer);
        } catch (GreenletExit e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) throw (Error) t;
            if (Sockets.isPeerFailure(t)) peerFailed(peer, t);
            else log(System.Logger.Level.ERROR, "connection from " + peer + " to " + address() + " failed", t);
        } finally {
            closeQuietly(ch);
        }
    }

    // ---------------------------------------------------------------- introspection

    /** Connections being served now. */
    public int connectionCount() {
        return handlerCount();
    }

    /** The most connections served at once so far. */
    public int peakConnections() {
        return peakHandlers();
    }

    /** Connections accepted so far, on every hub. */
    public long acceptedCount() {
        return sumOverHubs(s -> ((StreamServer) s).accepted);
    }

    /**
     * Connections whose handler ended on the peer's doing so far: a reset, a broken pipe, an end
     * of stream inside a message (see {@link Sockets#isPeerFailure}). Each is logged at DEBUG only.
     */
    public long peerFailureCount() {
        return sumOverHubs(s -> ((StreamServer) s).peerFailures);
    }

    private void peerFailed(InetSocketAddress peer, Throwable t) {
        peerFailures++;
        if (loggable(System.Logger.Level.DEBUG)) log(System.Logger.Level.DEBUG, "connection from " + peer + " to " + address() + " ended by the peer: " + t, null);
    }
}
