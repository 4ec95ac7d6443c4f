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
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A UDP server on the hub (gevent's {@code DatagramServer}): a receive loop in a greenlet, and a
 * greenlet per datagram that runs the handler; answers go out with {@link #sendto}.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     DatagramServer echo = new DatagramServer(new InetSocketAddress("127.0.0.1", 9000),
 *             (data, sender, server) -> server.sendto(data, sender));
 *     echo.serveForever();
 *     return null;
 * });
 * }</pre>
 *
 * <p>{@link #setMaxHandlers(int)} caps the handlers running at once: while all are busy the server
 * stops reading (datagrams wait in the socket's receive buffer, and the kernel drops them when it
 * is full, as UDP does). Datagrams longer than {@link #setMaxDatagramSize(int)} (default 65507)
 * are truncated by the kernel. {@link #stop(Duration)} works as {@link StreamServer#stop}.
 */
public class DatagramServer implements AutoCloseable {
    private static final long FOREVER = Coop.deadline(null, "timeout");

    private final InetSocketAddress requested;
    private final DatagramHandler handler;
    private final Hub hub;
    private int maxHandlers;
    private int maxDatagramSize = 65507;
    private DatagramChannel channel;
    private InetSocketAddress bound;
    private Greenlet<?> receiver;
    private Pool pool;
    private final LinkedHashSet<Greenlet<?>> handlers = new LinkedHashSet<>();
    private final WaitQueue<Void> stopWaiters = new WaitQueue<>();
    private boolean started, stopped;
    private long received;

    /** A server that runs {@code handler} for each datagram sent to {@code address}. */
    public DatagramServer(InetSocketAddress address, DatagramHandler handler) {
        this.requested = Objects.requireNonNull(address, "address");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.hub = Hub.current();
    }

    /** At most {@code max} handlers at once (0: no limit, the default). */
    public DatagramServer setMaxHandlers(int max) {
        if (max < 0) throw new IllegalArgumentException("maxHandlers must not be negative: " + max);
        if (started) throw new IllegalStateException("the server is already started");
        this.maxHandlers = max;
        return this;
    }

    /** The receive buffer size: longer datagrams are truncated (default 65507). */
    public DatagramServer setMaxDatagramSize(int size) {
        if (size < 1 || size > 65535) throw new IllegalArgumentException("maxDatagramSize must be in [1, 65535]: " + size);
        if (started) throw new IllegalStateException("the server is already started");
        this.maxDatagramSize = size;
        return this;
    }

    /** Binds and starts receiving in a greenlet; returns at once. Idempotent. */
    public DatagramServer start() {
        checkHub();
        if (stopped) throw new IllegalStateException("the server was stopped; make a new one");
        if (started) return this;
        try {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(requested);
            channel.configureBlocking(false);
            bound = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            StreamServer.closeQuietly(channel);
            throw new UncheckedIOException("cannot bind " + requested + ": " + e.getMessage(), e);
        }
        if (maxHandlers > 0) pool = new Pool(maxHandlers);
        started = true;
        receiver = new Greenlet<>(() -> {
            receiveLoop();
            return null;
        });
        receiver.setName("receive " + bound);
        receiver.start();
        return this;
    }

    /** Starts the server if needed, then waits until it is stopped. */
    public void serveForever() {
        start();
        if (!stopped) stopWaiters.await("serveForever(" + bound + ")", FOREVER);
    }

    /** Stops receiving, waits up to {@code grace} for running handlers, kills the rest. Idempotent. */
    public void stop(Duration grace) {
        long deadline = Coop.deadline(grace, "grace");
        checkHub();
        if (stopped) return;
        stopped = true;
        if (receiver != null) receiver.kill(new GreenletExit("server stopped"), false, null);
        Greenlet<?> me = Coop.current();
        List<Greenlet<?>> live = new ArrayList<>(handlers);
        live.remove(me);
        if (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left > 0) Coop.joinAll(live, deadline == FOREVER ? null : Duration.ofNanos(left));
            live = new ArrayList<>(handlers);
            live.remove(me);
            if (!live.isEmpty()) Coop.killAll(live, null, true, Duration.ofSeconds(1));
        }
        StreamServer.closeQuietly(channel);
        stopWaiters.wakeAll(null);
    }

    /** {@code stop(1 s)}. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(1));
    }

    private void checkHub() {
        if (!hub.isHubThread()) {
            throw new IllegalStateException("this server belongs to the hub of thread " + hub.thread().getName()
                    + "; call it from that hub's greenlets");
        }
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(maxDatagramSize);
        while (!stopped) {
            if (pool != null) pool.waitAvailable(); // all busy: leave datagrams in the socket buffer
            InetSocketAddress sender = null;
            while (sender == null) {
                buf.clear();
                try {
                    sender = (InetSocketAddress) channel.receive(buf);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (stopped) return;
                    StreamServer.LOG.log(System.Logger.Level.WARNING, "receive on " + bound + " failed: " + e);
                    Coop.sleep(5);
                    continue;
                }
                if (sender == null) hub.waitIo(channel, SelectionKey.OP_READ, FOREVER);
            }
            buf.flip();
            byte[] data = new byte[buf.remaining()];
            buf.get(data);
            received++;
            InetSocketAddress from = sender;
            Greenlet<Object> g = new Greenlet<>(() -> {
                try {
                    handler.handle(data, from, this);
                } catch (GreenletExit e) {
                    throw e;
                } catch (Exception e) {
                    StreamServer.LOG.log(System.Logger.Level.ERROR, "handling a datagram from " + from + " failed", e);
                }
                return null;
            });
            handlers.add(g);
            g.link(handlers::remove);
            if (pool != null) pool.start(g);
            else g.start();
        }
    }

    /** Sends {@code data} to {@code address}, waiting on the hub while the send buffer is full. */
    public void sendto(byte[] data, InetSocketAddress address) {
        Objects.requireNonNull(data, "data");
        sendto(ByteBuffer.wrap(data), address);
    }

    /** Sends the remaining bytes of {@code data} to {@code address} as one datagram. */
    public void sendto(ByteBuffer data, InetSocketAddress address) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        if (channel == null) throw new IllegalStateException("the server is not started");
        try {
            while (channel.send(data, address) == 0) hub.waitIo(channel, SelectionKey.OP_WRITE, FOREVER);
        } catch (IOException e) {
            throw new UncheckedIOException("send to " + address + " failed: " + e.getMessage(), e);
        }
    }

    /** The bound address once started, else the requested one. */
    public InetSocketAddress address() {
        return bound != null ? bound : requested;
    }

    /** Datagrams received so far. */
    public long receivedCount() {
        return received;
    }

    /** True between {@link #start()} and {@link #stop}. */
    public boolean isServing() {
        return started && !stopped;
    }

    @Override
    public String toString() {
        return "DatagramServer[" + address() + (isServing() ? ", serving" : started ? ", stopped" : ", not started") + "]";
    }
}
