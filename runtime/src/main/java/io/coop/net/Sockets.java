package io.coop.net;

import io.coop.Coop;
import io.coop.Hub;
import java.io.EOFException;
import java.net.Socket;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Objects;

/**
 * Waits for socket readiness on the hub (gevent's {@code wait_read}/{@code wait_write}): the
 * greenlet sleeps while the others run, and wakes when the channel can be read or written.
 *
 * <pre>{@code
 * SocketChannel ch = SocketChannel.open(address);
 * ch.configureBlocking(false);
 * while (ch.read(buf) == 0) Sockets.waitRead(ch, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>The channel must be in non-blocking mode. A plain {@link Socket} works when it was made
 * from a channel ({@code SocketChannel.open().socket()}); under the agent, ordinary blocking
 * sockets need none of this.
 */
public final class Sockets {
    private Sockets() {
    }

    /** Waits until {@code channel} is readable (or acceptable); false if {@code timeout} (null: none) passed first. */
    public static boolean waitRead(SelectableChannel channel, Duration timeout) {
        return waitFor(channel, readOps(channel), timeout);
    }

    /** Waits until {@code channel} is writable (or connected); false if {@code timeout} (null: none) passed first. */
    public static boolean waitWrite(SelectableChannel channel, Duration timeout) {
        return waitFor(channel, writeOps(channel), timeout);
    }

    private static boolean waitFor(SelectableChannel channel, int ops, Duration timeout) {
        return Hub.current().waitIo(channel, ops, Coop.deadline(timeout, "timeout"));
    }

    /** The ops that mean "readable" for {@code channel}: read, or accept for a listening socket. */
    static int readOps(SelectableChannel channel) {
        return Objects.requireNonNull(channel, "channel").validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
    }

    /** The ops that mean "writable" for {@code channel}: write, or connect for a socket still connecting. */
    static int writeOps(SelectableChannel channel) {
        return Objects.requireNonNull(channel, "channel").validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
    }

    /** {@link #waitRead(SelectableChannel, Duration)} for a socket made from a channel. */
    public static boolean waitRead(Socket socket, Duration timeout) {
        return waitRead(channelOf(socket), timeout);
    }

    /** {@link #waitWrite(SelectableChannel, Duration)} for a socket made from a channel. */
    public static boolean waitWrite(Socket socket, Duration timeout) {
        return waitWrite(channelOf(socket), timeout);
    }

    /**
     * True when {@code failure} (or one of its causes) is the peer's doing rather than a bug:
     * the connection was reset ({@code ECONNRESET}, SO_LINGER 0, a crashed client), a write hit
     * a broken pipe (the peer had closed), or the stream ended before a message did
     * ({@link EOFException}). Servers count these and log them at DEBUG, as normal traffic; every
     * other exception a handler throws stays an ERROR.
     */
    public static boolean isPeerFailure(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof EOFException) return true;
            if (t instanceof java.io.IOException && peerMessage(t.getMessage())) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static boolean peerMessage(String message) {
        if (message == null) return false;
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("connection reset") // Linux, macOS: "Connection reset", "Connection reset by peer"
                || m.contains("broken pipe")
                || m.contains("connection aborted") // Windows: "An established connection was aborted ..."
                || m.contains("forcibly closed"); // Windows: "... forcibly closed by the remote host"
    }

    private static SelectableChannel channelOf(Socket socket) {
        Objects.requireNonNull(socket, "socket");
        SelectableChannel ch = socket.getChannel();
        if (ch == null) {
            throw new IllegalArgumentException("this socket has no channel: open it with SocketChannel.open(), "
                    + "or run under -javaagent:coop.jar where plain blocking sockets wait on the hub by themselves");
        }
        return ch;
    }
}
