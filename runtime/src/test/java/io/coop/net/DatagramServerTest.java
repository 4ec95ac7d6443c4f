package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatagramServerTest {
    @Test
    void echoesDatagramsEachInItsOwnGreenlet() {
        Coop.run(() -> {
            int[] busy = {0, 0};
            try (DatagramServer server = new DatagramServer(new InetSocketAddress("127.0.0.1", 0), (data, sender, srv) -> {
                busy[0]++;
                busy[1] = Math.max(busy[1], busy[0]);
                Coop.sleep(100); // handlers overlap: one greenlet per datagram
                busy[0]--;
                srv.sendto(("echo " + new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), sender);
            })) {
                server.start();
                try (DatagramChannel client = DatagramChannel.open()) {
                    client.configureBlocking(false);
                    client.bind(new InetSocketAddress("127.0.0.1", 0));
                    for (int i = 0; i < 20; i++) {
                        client.send(ByteBuffer.wrap(("d" + i).getBytes(StandardCharsets.UTF_8)), server.address());
                    }
                    Set<String> got = new HashSet<>();
                    ByteBuffer buf = ByteBuffer.allocate(100);
                    while (got.size() < 20) {
                        buf.clear();
                        if (client.receive(buf) == null) {
                            assertTrue(Sockets.waitRead(client, Duration.ofSeconds(5)), "answers arrive");
                            continue;
                        }
                        buf.flip();
                        got.add(StandardCharsets.UTF_8.decode(buf).toString());
                    }
                    for (int i = 0; i < 20; i++) assertTrue(got.contains("echo d" + i), got.toString());
                }
                assertTrue(busy[1] > 1, "handlers ran concurrently: " + busy[1]);
                assertEquals(20, server.receivedCount());
            }
            return null;
        });
    }

    @Test
    void maxHandlersCapsConcurrencyAndStopEndsServeForever() {
        Coop.run(() -> {
            int[] busy = {0, 0};
            DatagramServer server = new DatagramServer(new InetSocketAddress("127.0.0.1", 0), (data, sender, srv) -> {
                busy[0]++;
                busy[1] = Math.max(busy[1], busy[0]);
                try {
                    Coop.sleep(50);
                } finally {
                    busy[0]--;
                }
            }).setMaxHandlers(3);
            io.coop.Greenlet<?> serving = Coop.spawn(server::serveForever);
            Coop.sleep(20);
            try (DatagramChannel client = DatagramChannel.open()) {
                for (int i = 0; i < 12; i++) client.send(ByteBuffer.wrap(new byte[] {(byte) i}), server.address());
            }
            long until = System.nanoTime() + 5_000_000_000L;
            while (server.receivedCount() < 12 && System.nanoTime() < until) Coop.sleep(10);
            assertEquals(12, server.receivedCount());
            assertEquals(3, busy[1], "never more than 3 handlers at once");
            server.stop(Duration.ofMillis(200));
            assertTrue(serving.join(Duration.ofSeconds(1)), "serveForever returned");
            assertFalse(server.isServing());
            return null;
        });
    }
}
