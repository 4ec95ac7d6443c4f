package io.coop.net;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A {@link StreamServer} connection handler that works on the non-blocking channel itself, for
 * protocol code that manages its own buffers (coop's HTTP server is one). It waits with
 * {@link Sockets#waitRead} / {@link Sockets#waitWrite}.
 *
 * <pre>{@code
 * StreamServer server = StreamServer.forChannels(new InetSocketAddress(0), (ch, peer) -> {
 *     ByteBuffer buf = ByteBuffer.allocate(512);
 *     while (ch.read(buf) == 0) Sockets.waitRead(ch, null);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ChannelHandler {
    /** Serves one connection from {@code peer}; {@code channel} is in non-blocking mode. */
    void handle(SocketChannel channel, InetSocketAddress peer) throws Exception;
}
