package io.coop.net;

import io.coop.Coop;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Sockets#waitRead(java.nio.channels.SelectableChannel, Duration)} under the wait contract,
 * on a real loopback connection: the wait is on the server's end of it, release writes one byte
 * from the client's end. Nested: the {@link java.net.Socket} form, and a listening channel waiting
 * for a connection to accept.
 *
 * <p>Keeps the timeout half only. HANDOVER: readiness is found by the hub's poll of the kernel,
 * never inside {@code release()}, and a waiter is handed nothing (the bytes stay in the socket for
 * whoever reads). LOOP_EXIT: a peer the hub cannot see (another process) may write at any time,
 * so a socket wait never ends in LoopExit. Consistent: no waiter is left registered with the hub,
 * and exactly the bytes written arrived, once.
 */
class SocketsWaitContractTest extends SocketReadContract {
    @Override
    protected Object waitFor(Duration timeout) {
        return Sockets.waitRead(accepted, timeout);
    }

    /** The {@link java.net.Socket} form: a socket made from a channel. */
    @Nested
    class SocketForm extends SocketReadContract {
        @Override
        protected Object waitFor(Duration timeout) {
            return Sockets.waitRead(accepted.socket(), timeout);
        }
    }

    /** A listening channel waits for a connection to accept; release connects one client. */
    @Nested
    class Accept extends AbstractWaitContractTest {
        private ServerSocketChannel listener;
        private final List<SocketChannel> clients = new ArrayList<>();

        @Override
        protected Map<Part, String> exemptions() {
            return SocketReadContract.EXEMPTIONS;
        }

        @Override
        protected void prepare() {
            try {
                listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                listener.configureBlocking(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected Object waitFor(Duration timeout) {
            return Sockets.waitRead(listener, timeout);
        }

        @Override
        protected Class<? extends RuntimeException> ownTimeout() {
            return null;
        }

        @Override
        protected Object release() {
            try {
                clients.add(SocketChannel.open(listener.getLocalAddress()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Boolean.TRUE;
        }

        @Override
        protected void assertConsistent() {
            SocketReadContract.assertNoWaiterLeft();
            try (SocketChannel one = listener.accept()) {
                assertNotNull(one, "the connection that ended the wait is there to accept");
                assertNull(listener.accept(), "exactly one connection came");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @AfterEach
        void close() throws IOException {
            for (SocketChannel c : clients) c.close();
            if (listener != null) listener.close();
        }
    }
}
