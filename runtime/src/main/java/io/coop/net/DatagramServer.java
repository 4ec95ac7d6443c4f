package io.coop.net;

import io.coop.Coop;
import io.coop.GreenletExit;
import io.coop.Hub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
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
public class DatagramServer extends BaseServer {
    private final DatagramHandler handler;
    private int maxDatagramSize = 65507;
    private DatagramChannel channel;
    private volatile long received;

    /** A server that runs {@code handler} for each datagram sent to {@code address}. */
    public DatagramServer(InetSocketAddress address, DatagramHandler handler) {
        super(address, null);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** At most {@code max} handlers at once (0: no limit, the default). */
    public DatagramServer setMaxHandlers(int max) {
        setHandlerCap(max, "maxHandlers");
        return this;
    }

    /**
     * Serves the address from {@code n} hubs (default 1), each with its own socket on it
     * ({@code SO_REUSEPORT}: the kernel spreads datagrams by sender); see {@link BaseServer}.
     */
    public DatagramServer hubs(int n) {
        setHubCount(n);
        return this;
    }

    /** The receive buffer size: longer datagrams are truncated (default 65507). */
    public DatagramServer setMaxDatagramSize(int size) {
        if (size < 1 || size > 65535) throw new IllegalArgumentException("maxDatagramSize must be in [1, 65535]: " + size);
        checkNotStarted();
        this.maxDatagramSize = size;
        return this;
    }

    @Override
    public DatagramServer start() {
        super.start();
        return this;
    }

    @Override
    InetSocketAddress bind() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        shareAddress(channel);
        channel.bind(requested);
        channel.configureBlocking(false);
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    void closeSocket() {
        closeQuietly(channel);
    }

    @Override
    String loopName() {
        return "receive " + address();
    }

    @Override
    void serve() {
        ByteBuffer buf = ByteBuffer.allocateDirect(maxDatagramSize);
        while (!isStopped()) {
            waitForFreeHandler(); // all busy: leave datagrams in the socket buffer
            InetSocketAddress sender = null;
            while (sender == null) {
                buf.clear();
                try {
                    sender = (InetSocketAddress) channel.receive(buf);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (isStopped()) return;
                    log(System.Logger.Level.WARNING, "receive on " + address() + " failed: " + e, null);
                    Coop.sleep(5);
                    continue;
                }
                if (sender == null) hub.waitIo(channel, SelectionKey.OP_READ, Hub.NO_DEADLINE);
            }
            buf.flip();
            byte[] data = new byte[buf.remaining()];
            buf.get(data);
            DatagramServer target = (DatagramServer) nextInTurn();
            if (target == this) {
                handle(data, sender);
            } else {
                InetSocketAddress from = sender;
                try {
                    target.hub.post(() -> target.handOver(data, from));
                } catch (IllegalStateException hubEnded) {
                    // stopping: the datagram is dropped, as UDP may
                }
            }
        }
    }

    /** A datagram handed over by the receiving hub (a hub callback here); dropped, as UDP may, when stopped or all handlers are busy. */
    private void handOver(byte[] data, InetSocketAddress from) {
        if (!isStopped() && (pool() == null || !pool().isFull())) handle(data, from);
    }

    /** Runs the handler for one datagram in a greenlet of this server's hub. */
    private void handle(byte[] data, InetSocketAddress from) {
        received++;
        spawnHandler(() -> {
            try {
                handler.handle(data, from, this);
            } catch (GreenletExit e) {
                throw e;
            } catch (Exception e) {
                log(System.Logger.Level.ERROR, "handling a datagram from " + from + " failed", e);
            }
            return null;
        });
    }

    @Override
    BaseServer replica(InetSocketAddress address) {
        DatagramServer r = new DatagramServer(address, handler);
        r.maxDatagramSize = maxDatagramSize;
        if (handlerCap() > 0) r.setMaxHandlers(handlerCap());
        if (role == Role.HANDS_OUT) r.channel = channel; // binds nothing: answers go out through the one socket
        return r;
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
            while (channel.send(data, address) == 0) hub.waitIo(channel, SelectionKey.OP_WRITE, Hub.NO_DEADLINE);
        } catch (IOException e) {
            throw new UncheckedIOException("send to " + address + " failed: " + e.getMessage(), e);
        }
    }

    /** Datagrams received so far, on every hub. */
    public long receivedCount() {
        return sumOverHubs(s -> ((DatagramServer) s).received);
    }
}
