package io.coop.net;

import io.coop.Coop;
import io.coop.Hub;
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
        Objects.requireNonNull(channel, "channel");
        int ops = channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        return Hub.current().waitIo(channel, ops, Coop.deadline(timeout, "timeout"));
    }

    /** Waits until {@code channel} is writable (or connected); false if {@code timeout} (null: none) passed first. */
    public static boolean waitWrite(SelectableChannel channel, Duration timeout) {
        Objects.requireNonNull(channel, "channel");
        int ops = channel.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        return Hub.current().waitIo(channel, ops, Coop.deadline(timeout, "timeout"));
    }

    /** {@link #waitRead(SelectableChannel, Duration)} for a socket made from a channel. */
    public static boolean waitRead(Socket socket, Duration timeout) {
        return waitRead(channelOf(socket), timeout);
    }

    /** {@link #waitWrite(SelectableChannel, Duration)} for a socket made from a channel. */
    public static boolean waitWrite(Socket socket, Duration timeout) {
        return waitWrite(channelOf(socket), timeout);
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
