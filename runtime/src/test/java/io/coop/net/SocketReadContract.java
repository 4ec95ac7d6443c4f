package io.coop.net;

import io.coop.Coop;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.AfterEach;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wait contract for waiting until a connected socket is readable, on a real loopback
 * connection: the wait is on the server's end, release writes one byte from the client's end.
 * Consistent: no waiter is left registered with the hub, and exactly the bytes written arrived,
 * once. The subclass picks the form of {@link Sockets#waitRead} (channel or socket).
 *
 * <p>Keeps the timeout half only; see {@link #EXEMPTIONS}.
 */
abstract class SocketReadContract extends AbstractWaitContractTest {
    static final Map<Part, String> EXEMPTIONS = Map.of(
            Part.HANDOVER, "readiness is found by the hub's poll of the kernel, never inside release(), and a "
                    + "waiter is handed nothing (the bytes stay in the socket for whoever reads)",
            Part.LOOP_EXIT, "a peer the hub cannot see (another process) may write at any time: a socket wait "
                    + "never ends in LoopExit");

    ServerSocketChannel server;
    SocketChannel client;
    SocketChannel accepted;
    private final List<Byte> sent = new ArrayList<>();

    @Override
    protected Map<Part, String> exemptions() {
        return EXEMPTIONS;
    }

    @Override
    protected void prepare() {
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(server.getLocalAddress()); // loopback: connected once in the backlog
            accepted = server.accept();
            accepted.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        byte b = (byte) (sent.size() + 1);
        try {
            assertEquals(1, client.write(ByteBuffer.wrap(new byte[] {b})));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sent.add(b);
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertNoWaiterLeft();
        List<Byte> got = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (accepted.read(buf.clear()) > 0) {
                for (int i = 0; i < buf.position(); i++) got.add(buf.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(sent, got, "exactly the bytes written arrived, once, and waiting consumed none");
    }

    static void assertNoWaiterLeft() {
        assertTrue(Coop.hub().stats().contains("ioWaiters=0"), "a wait is still registered with the hub: " + Coop.hub().stats());
    }

    @AfterEach
    void closeTheConnection() throws IOException {
        for (var ch : new java.nio.channels.Channel[] {accepted, client, server}) {
            if (ch != null) ch.close();
        }
    }
}
