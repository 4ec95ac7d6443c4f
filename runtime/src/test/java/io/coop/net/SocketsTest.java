package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.testing.Elapsed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Readiness waits on the hub's selector: the end of a wait leaves the channel's interest set
 * (the next wait usually wants it again), so these check that leftover interest never makes the
 * hub spin, and that waits still end when the channel is closed under them.
 */
class SocketsTest {
    /** Passes of the hub loop so far: a hub that spins on leftover readiness makes thousands a second. */
    static long loops() {
        Matcher m = Pattern.compile("loops=(\\d+)").matcher(Coop.hub().stats());
        assertTrue(m.find(), Coop.hub().stats());
        return Long.parseLong(m.group(1));
    }

    static Pipe pipe() throws Exception {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    /** Sleeps 300 ms with nothing else to do and returns how many loop passes that took. */
    static long loopsWhileIdle() {
        long before = loops();
        Coop.sleep(300);
        return loops() - before;
    }

    @Test
    void aWaitEndsWhenAnotherGreenletClosesTheChannel() {
        Coop.run(() -> {
            Pipe p = pipe();
            Greenlet<Boolean> waiter = Coop.spawn(() -> Sockets.waitRead(p.source(), Duration.ofSeconds(10)));
            Coop.sleep(50);
            Elapsed t = new Elapsed();
            p.source().close();
            assertTrue(waiter.get(), "woken, not timed out");
            assertTrue(t.millis() < 2000, t.millis() + " ms");
            p.sink().close();
            return null;
        });
    }

    @Test
    void readinessNobodyWaitsForDoesNotSpinTheHub() {
        Coop.run(() -> {
            Pipe p = pipe();
            assertFalse(Sockets.waitRead(p.source(), Duration.ofMillis(20)), "nothing to read yet");
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(loopsWhileIdle() < 50, "readable, but the wait that wanted it timed out");

            ByteBuffer buf = ByteBuffer.allocate(1);
            assertEquals(1, p.source().read(buf));
            Coop.spawnLater(Duration.ofMillis(20), () -> p.sink().write(ByteBuffer.wrap(new byte[] {2})));
            assertTrue(Sockets.waitRead(p.source(), Duration.ofSeconds(5)));
            assertTrue(loopsWhileIdle() < 50, "readable, woken, and never read");

            buf.clear();
            assertEquals(1, p.source().read(buf));
            Coop.spawnLater(Duration.ofMillis(20), () -> p.sink().write(ByteBuffer.wrap(new byte[] {3})));
            assertTrue(Sockets.waitRead(p.source(), Duration.ofSeconds(5)), "the next wait is still woken");
            assertTrue(Sockets.waitWrite(p.sink(), Duration.ofSeconds(5)));
            assertTrue(loopsWhileIdle() < 50, "a pipe stays writable");
            p.source().close();
            p.sink().close();
            return null;
        });
    }

    @Test
    void aConnectedSocketDoesNotSpinTheHub() {
        Coop.run(() -> {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                server.configureBlocking(false);
                Greenlet<SocketChannel> accepted = Coop.spawn(() -> {
                    SocketChannel ch;
                    while ((ch = server.accept()) == null) Sockets.waitRead(server, null);
                    return ch;
                });
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    client.connect(server.getLocalAddress());
                    // waitWrite waits for OP_CONNECT too: a connected socket stays writable but is
                    // never reported connectable again, so interest in it must not outlive the wait
                    assertTrue(Sockets.waitWrite(client, Duration.ofSeconds(5)));
                    assertTrue(client.finishConnect());
                    accepted.get().close();
                    assertTrue(loopsWhileIdle() < 50);
                }
                accepted = Coop.spawn(() -> {
                    SocketChannel ch;
                    while ((ch = server.accept()) == null) Sockets.waitRead(server, null);
                    return ch;
                });
                try (Socket client = CoopSocket.connect((InetSocketAddress) server.getLocalAddress(), Duration.ofSeconds(5));
                     SocketChannel peer = accepted.get()) {
                    client.setSoTimeout(50);
                    assertThrows(java.net.SocketTimeoutException.class, () -> client.getInputStream().read());
                    assertTrue(loopsWhileIdle() < 50);
                    peer.write(ByteBuffer.wrap(new byte[] {4}));
                    client.setSoTimeout(5000);
                    assertEquals(4, client.getInputStream().read());
                }
            }
            return null;
        });
    }
}
