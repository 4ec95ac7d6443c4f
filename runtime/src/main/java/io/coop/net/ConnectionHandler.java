package io.coop.net;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * What a {@link StreamServer} runs for each accepted connection, in a greenlet of its own
 * (gevent's {@code handle(socket, address)}). The socket's streams block the greenlet, not the
 * thread, so the handler is plain blocking code.
 *
 * <pre>{@code
 * ConnectionHandler echo = (socket, peer) -> socket.getInputStream().transferTo(socket.getOutputStream());
 * }</pre>
 *
 * <p>The server closes the socket when the handler returns or throws; an exception ends only
 * this connection (it is logged through {@code System.Logger} "io.coop").
 */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves one connection from {@code peer}. */
    void handle(Socket socket, InetSocketAddress peer) throws Exception;
}
