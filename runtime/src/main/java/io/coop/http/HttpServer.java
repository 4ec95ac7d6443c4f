package io.coop.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.net.StreamServer;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 server on the hub that runs the JDK's own {@link HttpHandler}s unchanged: one
 * greenlet per connection, each request handled as plain blocking code in it.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     HttpServer server = new HttpServer(new InetSocketAddress(8080), exchange -> {
 *         byte[] body = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);
 *         exchange.sendResponseHeaders(200, body.length);
 *         try (OutputStream out = exchange.getResponseBody()) { out.write(body); }
 *     });
 *     server.serveForever();
 *     return null;
 * });
 * }</pre>
 *
 * <p>What it speaks: HTTP/1.1 keep-alive and pipelining (responses in request order), HTTP/1.0
 * (with or without keep-alive), {@code Expect: 100-continue} (the 100 goes out when the handler
 * first reads the body), chunked request bodies, chunked streaming responses when
 * {@code sendResponseHeaders(code, 0)} (call {@code flush()} on the body to push what was
 * written), HEAD (the body written is dropped; a positive length becomes Content-Length),
 * {@code Connection: close} from either side. The status line, headers and a small body leave
 * in one write, and TCP_NODELAY is on.
 *
 * <p>What it refuses, answering and then closing only that connection:
 * <ul>
 * <li>400: a malformed request line or header (whitespace before a colon, obsolete folding,
 *     control characters), a missing Host in HTTP/1.1, Content-Length with Transfer-Encoding,
 *     two differing Content-Lengths, a malformed chunk;</li>
 * <li>408: the head not complete within {@link #setReadTimeout} (30 s), a body read that waits
 *     longer than that, a request (head and body) not complete within {@link #setRequestTimeout}
 *     (5 min), or a client sending below {@link #setMinDataRate} (1 KiB/s once the server has
 *     waited on it for {@link #setMinDataRateGrace}, 10 s);</li>
 * <li>413: a body longer than {@link #setMaxBodyBytes} (16 MiB);</li>
 * <li>414: a request line longer than {@link #setMaxRequestLine} (8 KiB);</li>
 * <li>431: headers longer than {@link #setMaxHeaderBytes} (32 KiB) or more than
 *     {@link #setMaxHeaderCount} (100) fields;</li>
 * <li>417, 501, 505: another expectation, a transfer coding other than chunked or CONNECT, a
 *     version other than 1.x; 500 when a handler throws or returns without answering;</li>
 * <li>503 (then close) for a connection beyond {@link #setMaxConnections} (default: no cap).</li>
 * </ul>
 * A client that reads a response below the minimum data rate, or leaves a write waiting longer
 * than {@link #setWriteTimeout} (60 s), is closed. A peer's reset, broken pipe or early end of
 * stream is normal traffic: counted ({@link #peerFailureCount()}) and logged at DEBUG only.
 * A keep-alive connection idle for {@link #setIdleTimeout} (60 s) is closed. Idle connections
 * hold no buffer: buffers (8 KiB) are lent from a pool while a request is parsed or a response
 * written.
 *
 * <p>The server belongs to the hub of the thread that created it. To back the JDK's
 * {@code com.sun.net.httpserver.HttpServer.create()} with coop, see {@link CoopHttpServerProvider}.
 */
public class HttpServer implements AutoCloseable {
    private final Tcp tcp;
    private final Contexts contexts;
    final Limits limits;
    private BufferPool pool;
    /** Open connections, to close the idle ones at stop. */
    private final LinkedHashSet<HttpConnection> open = new LinkedHashSet<>();
    volatile boolean stopping;
    volatile long requests;
    volatile long peerFailures;
    volatile long rejected;
    /** Writes to connections' sockets, added up as each connection ends (for tests: responses batched per write). */
    volatile long writes;

    /** A server on {@code address} that sends every request to {@code handler}. */
    public HttpServer(InetSocketAddress address, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        this.contexts = new Contexts(() -> null);
        this.limits = new Limits();
        this.tcp = new Tcp(address, this);
        contexts.create("/", handler);
    }

    /** A server on {@code address} with no context yet: add them with {@link #createContext}. */
    public HttpServer(InetSocketAddress address) {
        this.contexts = new Contexts(() -> null);
        this.limits = new Limits();
        this.tcp = new Tcp(address, this);
    }

    /** The server for another hub of {@link #hubs(int)}: the same contexts and limits, buffers of its own. */
    private HttpServer(InetSocketAddress address, HttpServer like) {
        this.contexts = like.contexts;
        this.limits = like.limits;
        this.pool = new BufferPool(limits.bufferSize, 1024);
        this.tcp = new Tcp(address, this);
    }

    /** For the JDK adapter: an already bound listener and shared contexts. */
    HttpServer(ServerSocketChannel listener, Contexts contexts) {
        this.contexts = contexts;
        this.limits = new Limits();
        this.tcp = new Tcp(listener, this);
    }

    /** The StreamServer underneath, serving channels. */
    private static final class Tcp extends StreamServer {
        private final HttpServer http;

        Tcp(InetSocketAddress address, HttpServer http) {
            super(address, http::serveChannel, true);
            this.http = http;
            setNoDelay(true);
        }

        Tcp(ServerSocketChannel listener, HttpServer http) {
            super(listener, http::serveChannel);
            this.http = http;
            setNoDelay(true);
        }

        @Override
        protected void beforeGrace() {
            http.closeIdle();
        }

        @Override
        protected StreamServer newReplica(InetSocketAddress address) {
            return new HttpServer(address, http).tcp;
        }

        /** Adds up {@code count} over the HTTP servers of every hub. */
        long sumOverHttpServers(java.util.function.ToLongFunction<HttpServer> count) {
            return sumOverHubs(s -> count.applyAsLong(((Tcp) s).http));
        }
    }

    /** Adds a context: requests whose path starts with {@code path} (the longest match wins) go to {@code handler}. */
    public HttpContext createContext(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return contexts.create(path, handler);
    }

    /** Removes the context for {@code path}. */
    public void removeContext(String path) {
        contexts.remove(path);
    }

    // ---------------------------------------------------------------- settings (before start)

    /** Longest request line (default 8192 bytes); longer gets 414. */
    public HttpServer setMaxRequestLine(int bytes) {
        limits.maxRequestLine = positive(bytes, "maxRequestLine");
        return this;
    }

    /** Longest header section (default 32 KiB); longer gets 431. */
    public HttpServer setMaxHeaderBytes(int bytes) {
        limits.maxHeaderBytes = positive(bytes, "maxHeaderBytes");
        return this;
    }

    /** Most header fields (default 100); more gets 431. */
    public HttpServer setMaxHeaderCount(int count) {
        limits.maxHeaderCount = positive(count, "maxHeaderCount");
        return this;
    }

    /** Longest request body (default 16 MiB); longer gets 413. */
    public HttpServer setMaxBodyBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("maxBodyBytes must not be negative: " + bytes);
        limits.maxBodyBytes = bytes;
        return this;
    }

    /** How long a kept-alive connection may wait for its next request (default 60 s; zero: forever). */
    public HttpServer setIdleTimeout(Duration timeout) {
        limits.idleTimeout = duration(timeout, "idleTimeout");
        return this;
    }

    /** How long a request head may take to arrive, and a body read may wait (default 30 s; zero: forever); then 408. */
    public HttpServer setReadTimeout(Duration timeout) {
        limits.readTimeout = duration(timeout, "readTimeout");
        return this;
    }

    /** How long a response write may wait for the client to read (default 60 s; zero: forever); then the connection closes. */
    public HttpServer setWriteTimeout(Duration timeout) {
        limits.writeTimeout = duration(timeout, "writeTimeout");
        return this;
    }

    /**
     * How long a whole request, head and body, may take to arrive, from its first byte (default
     * 5 min; zero: no limit); then 408 if the handler has not answered, else the connection
     * closes. Time the handler spends between body reads counts too.
     */
    public HttpServer setRequestTimeout(Duration timeout) {
        limits.requestTimeout = duration(timeout, "requestTimeout");
        return this;
    }

    /**
     * The minimum data rate, in bytes per second, both ways (default 1024; 0: none): once the
     * server has had to wait on a client for a request's bytes (or for it to take a response's),
     * the time it waits in all may be at most the grace ({@link #setMinDataRateGrace}, 10 s) plus
     * one second per {@code bytesPerSecond} bytes moved since. A client below it gets 408 (while
     * sending) or is closed (while reading). Time the handler itself spends is not counted.
     */
    public HttpServer setMinDataRate(int bytesPerSecond) {
        if (bytesPerSecond < 0) throw new IllegalArgumentException("minDataRate must not be negative: " + bytesPerSecond);
        limits.minDataRate = bytesPerSecond;
        return this;
    }

    /** How long the server waits on a client before {@link #setMinDataRate} applies (default 10 s). */
    public HttpServer setMinDataRateGrace(Duration grace) {
        limits.minDataRateGrace = duration(grace, "minDataRateGrace");
        return this;
    }

    /**
     * At most {@code max} connections at once (0: no limit, the default). A connection beyond it
     * is accepted and answered at once with {@code 503 Service Unavailable}, {@code Connection:
     * close} and {@code Retry-After: 1}, then closed, so the client knows rather than waits
     * (counted by {@link #rejectedCount()}). {@link #setPool} instead stops accepting while full.
     */
    public HttpServer setMaxConnections(int max) {
        if (max < 0) throw new IllegalArgumentException("maxConnections must not be negative: " + max);
        limits.maxConnections = max;
        return this;
    }

    /** Runs connections in greenlets of {@code pool} (gevent's {@code spawn=pool}): while it is full, the server does not accept. */
    public HttpServer setPool(io.coop.pool.Pool pool) {
        tcp.setPool(pool);
        return this;
    }

    /**
     * Serves the address from {@code n} hubs (default 1), one OS thread each: {@code start()}
     * starts {@code n - 1} hub threads, each with its own listening socket on the address
     * ({@code SO_REUSEPORT}), the same contexts and limits ({@link #setMaxConnections} counts per
     * hub), and buffers of its own. A connection and its requests live on the hub that accepted it.
     * The handlers then run on several threads at once: what they share must be thread-safe.
     *
     * <pre>{@code
     * new HttpServer(new InetSocketAddress(8080), hello).hubs(Runtime.getRuntime().availableProcessors()).serveForever();
     * }</pre>
     */
    public HttpServer hubs(int n) {
        tcp.hubs(n);
        return this;
    }

    /** The listen backlog (default 1024). */
    public HttpServer setBacklog(int backlog) {
        tcp.setBacklog(backlog);
        return this;
    }

    private static int positive(int v, String what) {
        if (v <= 0) throw new IllegalArgumentException(what + " must be positive: " + v);
        return v;
    }

    private static Duration duration(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) throw new IllegalArgumentException(what + " must not be negative: " + d);
        return d;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds and starts serving in greenlets; returns at once. */
    public HttpServer start() {
        if (pool == null) pool = new BufferPool(limits.bufferSize, 1024);
        tcp.start();
        return this;
    }

    /** Starts if needed, then waits until the server is stopped. */
    public void serveForever() {
        start();
        tcp.serveForever();
    }

    /**
     * Stops accepting, closes idle keep-alive connections, lets requests in progress finish for
     * up to {@code grace} (their connections close after the response), then kills the rest.
     */
    public void stop(Duration grace) {
        if (!hub().isHubThread()) {
            throw new IllegalStateException("this server belongs to the hub of thread " + hub().thread().getName()
                    + "; stop it from that hub, e.g. server.hub().post(() -> Coop.spawn(() -> server.stop(grace)))");
        }
        stopping = true;
        tcp.stop(grace);
    }

    /** {@code stop(1 s)}. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(1));
    }

    private void closeIdle() {
        stopping = true;
        List<Greenlet<?>> waiting = new ArrayList<>();
        for (HttpConnection c : open) if (c.idle) waiting.add(c.greenlet);
        for (Greenlet<?> g : waiting) g.kill(new GreenletExit("server stopped"), false, null);
    }

    /** The bound address once started (the actual port when 0 was asked). */
    public InetSocketAddress address() {
        return tcp.address();
    }

    /** Connections open now. */
    public int connectionCount() {
        return tcp.connectionCount();
    }

    /** The most connections open at once so far. */
    public int peakConnections() {
        return tcp.peakConnections();
    }

    /** Requests served so far (completed exchanges on kept-alive or closed connections), on every hub. */
    public long requestCount() {
        return tcp.sumOverHttpServers(h -> h.requests);
    }

    /**
     * Connections ended by the peer so far: a reset, a broken pipe, or the stream ending inside a
     * request (see {@link io.coop.net.Sockets#isPeerFailure}). Normal traffic: each is logged at
     * DEBUG only, while a handler's own exception is an ERROR.
     */
    public long peerFailureCount() {
        return tcp.sumOverHttpServers(h -> h.peerFailures);
    }

    /** Connections answered 503 and closed because {@link #setMaxConnections} were already open. */
    public long rejectedCount() {
        return tcp.sumOverHttpServers(h -> h.rejected);
    }

    /** Writes to the sockets of the connections ended so far, on every hub (package-private: for tests). */
    long writeCount() {
        return tcp.sumOverHttpServers(h -> h.writes);
    }

    /** The hub this server runs on (with {@link #hubs(int)}: the hub that started it). */
    public Hub hub() {
        return tcp.hub();
    }

    /** Every hub serving: this server's own, then the others of {@link #hubs(int)} once started. */
    public List<Hub> hubs() {
        return tcp.hubs();
    }

    private void serveChannel(SocketChannel channel, InetSocketAddress peer) {
        ChannelTransport t = new ChannelTransport(channel, peer, Limits.nanos(limits.writeTimeout),
                limits.minDataRate, Limits.nanos(limits.minDataRateGrace));
        HttpConnection c = new HttpConnection(t, this, contexts, limits, pool);
        if (limits.maxConnections > 0 && open.size() >= limits.maxConnections) {
            rejected++;
            try {
                c.refuse(503, "the server is at its limit of " + limits.maxConnections + " connections; try again later", "Retry-After: 1\r\n");
            } finally {
                c.release();
                t.close();
            }
            return;
        }
        c.greenlet = Coop.current();
        open.add(c);
        try {
            c.serve();
        } finally {
            open.remove(c);
        }
    }

    @Override
    public String toString() {
        return "HttpServer[" + address() + ", " + tcp.connectionCount() + " connection(s)]";
    }
}
