package io.coop.net;

import io.coop.Coop;
import io.coop.Hub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Socket} whose streams block the calling greenlet, not the OS thread: an adapter over a
 * non-blocking {@link SocketChannel} that waits for readiness on the hub. This is what a
 * {@link StreamServer} hands to its {@link ConnectionHandler}, so handlers are ordinary blocking
 * socket code; it also makes client connections without the agent.
 *
 * <pre>{@code
 * try (Socket s = CoopSocket.connect(new InetSocketAddress("127.0.0.1", 8080), Duration.ofSeconds(5))) {
 *     s.getOutputStream().write("ping\n".getBytes());
 *     int b = s.getInputStream().read();      // this greenlet waits; the others run
 * }
 * }</pre>
 *
 * <p>Why a subclass that delegates, rather than a custom {@code SocketImpl}: a {@code Socket}
 * built over a foreign {@code SocketImpl} is "not connected" for the JDK (its state is set only by
 * {@code connect} or {@code ServerSocket.accept}), so its streams would refuse to open. Here
 * every public method is overridden: addresses and options go to the channel, the streams read
 * and write the channel and wait with {@code Hub.waitIo}. {@link #setSoTimeout} bounds each read
 * wait (a {@link SocketTimeoutException} as with a plain socket). The streams have no buffer of
 * their own, so an idle connection costs no buffer memory; wrap them in a buffered stream when
 * reading a byte at a time.
 */
public final class CoopSocket extends Socket {
    private final SocketChannel channel;
    private volatile int soTimeout;
    private InputStream in;
    private OutputStream out;

    /** Wraps {@code channel}, which is switched to non-blocking mode. */
    public CoopSocket(SocketChannel channel) throws IOException {
        super((java.net.SocketImpl) null);
        this.channel = Objects.requireNonNull(channel, "channel");
        channel.configureBlocking(false);
    }

    /**
     * Connects to {@code address}, waiting on the hub up to {@code timeout} (null: no limit);
     * throws {@link SocketTimeoutException} when it passes.
     */
    public static CoopSocket connect(InetSocketAddress address, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        long deadline = Coop.deadline(timeout, "timeout");
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            if (!ch.connect(address)) {
                while (!ch.finishConnect()) {
                    if (!Hub.current().waitIo(ch, SelectionKey.OP_CONNECT, deadline)) {
                        throw new SocketTimeoutException("connect to " + address + " timed out");
                    }
                }
            }
            return new CoopSocket(ch);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- streams

    @Override
    public SocketChannel getChannel() {
        return channel;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (isInputShutdown()) throw new SocketException("Socket input is shutdown");
        if (in == null) in = new In();
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (isOutputShutdown()) throw new SocketException("Socket output is shutdown");
        if (out == null) out = new Out();
        return out;
    }

    /** A write waits as long as the peer takes to read: a socket has no write timeout. */
    private static final ChannelIo.Terms WRITE = (op, given) -> Hub.NO_DEADLINE;

    private final class In extends InputStream implements ChannelIo.Terms {
        private byte[] one;
        /**
         * The last read emptied the socket (it returned less than asked): the next one waits for
         * readiness before it reads, as an event loop would, instead of paying a read that finds
         * nothing. In request/response traffic that read would fail nearly every time; when data
         * did arrive meanwhile, the still-armed key reports it at the hub's next look.
         */
        private boolean drained;

        @Override
        public int read() throws IOException {
            if (one == null) one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            boolean waitFirst = drained;
            drained = false;
            int n = ChannelIo.read(channel, ByteBuffer.wrap(b, off, len), Hub.NO_DEADLINE, waitFirst, this);
            drained = n > 0 && n < len;
            return n;
        }

        /** Each read waits up to the socket's {@link CoopSocket#setSoTimeout} (0: no limit), counted from its first wait. */
        @Override
        public long deadline(int op, long given) {
            int t = soTimeout;
            return Coop.deadline(t == 0 ? null : Duration.ofMillis(t), "soTimeout");
        }

        @Override
        public int available() throws IOException {
            return 0;
        }

        @Override
        public void close() throws IOException {
            CoopSocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        private byte[] one;

        @Override
        public void write(int b) throws IOException {
            if (one == null) one = new byte[1];
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ChannelIo.write(channel, ByteBuffer.wrap(b, off, len), WRITE);
        }

        @Override
        public void close() throws IOException {
            CoopSocket.this.close();
        }
    }

    // ---------------------------------------------------------------- state and addresses

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress a = remote();
        return a == null ? null : a.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress a = remote();
        return a == null ? 0 : a.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        InetSocketAddress a = local();
        return a == null ? null : a.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress a = local();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    private InetSocketAddress remote() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private InetSocketAddress local() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected() || !channel.isOpen();
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return channel.socket().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return channel.socket().isOutputShutdown();
    }

    @Override
    public String toString() {
        return "CoopSocket[" + (isClosed() ? "closed" : local() + " <-> " + remote()) + "]";
    }

    // ---------------------------------------------------------------- options

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? Math.min(linger, 65535) : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported by coop sockets");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        channel.socket().setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return channel.socket().getOOBInline();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }
}
