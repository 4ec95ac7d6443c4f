package io.coop.net;

import java.net.InetSocketAddress;

/**
 * What a {@link DatagramServer} runs for each datagram received, in a greenlet of its own
 * (gevent's {@code handle(data, address)}); answer with {@link DatagramServer#sendto}.
 *
 * <pre>{@code
 * DatagramHandler echo = (data, sender, server) -> server.sendto(data, sender);
 * }</pre>
 */
@FunctionalInterface
public interface DatagramHandler {
    /** Handles one datagram {@code data} (a copy, the handler's to keep) from {@code sender}. */
    void handle(byte[] data, InetSocketAddress sender, DatagramServer server) throws Exception;
}
