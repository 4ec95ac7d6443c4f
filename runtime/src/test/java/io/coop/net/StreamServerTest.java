package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.testing.Elapsed;
import io.coop.testing.LogCapture;
import io.coop.testing.OsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StreamServerTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    static String lineEcho(InetSocketAddress at, String message) throws Exception {
        try (Socket s = CoopSocket.connect(at, Duration.ofSeconds(5))) {
            s.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    static void echoLines(Socket socket) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void echoesManyClientsConcurrentlyOnOneOsThread() {
        Set<String> threads = new TreeSet<>();
        Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                threads.add(OsThread.id());
                assertEquals(socket.getPort(), peer.getPort());
                Coop.sleep(200); // every connection waits at once: concurrency, not a queue
                echoLines(socket);
            })) {
                server.start();
                Elapsed t = new Elapsed();
                List<Greenlet<String>> clients = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String msg = "hello " + i;
                    clients.add(Coop.spawn(() -> lineEcho(server.address(), msg)));
                }
                Coop.joinAll(clients);
                for (int i = 0; i < 200; i++) assertEquals("hello " + i, clients.get(i).get());
                assertTrue(t.millis() < 1500, "200 connections that each sleep 200 ms took " + t.millis() + " ms");
                assertEquals(200, server.peakConnections(), "all 200 were served at once");
                threads.add(OsThread.id());
            }
            return null;
        });
        assertEquals(1, threads.size(), "one OS thread: " + threads);
    }

    @Test
    void handlerFailureEndsOnlyItsConnection() {
        try (LogCapture log = new LogCapture()) {
            Coop.run(() -> {
                try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
                    String first = in.readLine();
                    if ("boom".equals(first)) throw new IllegalStateException("handler fails on purpose");
                    socket.getOutputStream().write((first + "\n").getBytes());
                    echoLines(socket);
                })) {
                    server.start();
                    Greenlet<String> ok = Coop.spawn(() -> lineEcho(server.address(), "fine"));
                    Greenlet<String> bad = Coop.spawn(() -> lineEcho(server.address(), "boom"));
                    assertNull(bad.get(), "the failing connection is closed (EOF)");
                    assertEquals("fine", ok.get());
                    assertEquals("again", lineEcho(server.address(), "again"), "the server keeps serving");
                }
                return null;
            });
            assertTrue(log.snapshot().stream().anyMatch(r -> r.getThrown() != null
                    && "handler fails on purpose".equals(r.getThrown().getMessage())), "the failure is logged");
        }
    }

    @Test
    void maxConnectionsStopsAcceptingUntilASlotFrees() {
        Coop.run(() -> {
            int[] live = {0, 0};
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                live[0]++;
                live[1] = Math.max(live[1], live[0]);
                try {
                    Coop.sleep(150);
                    echoLines(socket);
                } finally {
                    live[0]--;
                }
            }).setMaxConnections(2)) {
                server.start();
                Elapsed t = new Elapsed();
                List<Greenlet<String>> clients = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String msg = "m" + i;
                    clients.add(Coop.spawn(() -> lineEcho(server.address(), msg)));
                }
                Coop.joinAll(clients);
                for (int i = 0; i < 6; i++) assertEquals("m" + i, clients.get(i).get());
                assertEquals(2, live[1], "never more than 2 handlers at once");
                assertTrue(t.millis() >= 400, "6 clients through 2 slots of 150 ms take >= 3 rounds: " + t.millis() + " ms");
                assertEquals(2, server.peakConnections());
            }
            return null;
        });
    }

    @Test
    void aSharedPoolCapsConnectionsTogetherWithItsOtherWork() {
        Coop.run(() -> {
            io.coop.pool.Pool pool = new io.coop.pool.Pool(2);
            Greenlet<?> other = pool.spawn(() -> Coop.sleep(400)); // takes one of the two slots for 400 ms
            int[] live = {0, 0};
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                live[0]++;
                live[1] = Math.max(live[1], live[0]);
                try {
                    Coop.sleep(50);
                    echoLines(socket);
                } finally {
                    live[0]--;
                }
            }, pool)) {
                server.start();
                assertSame(pool, server.pool());
                List<Greenlet<String>> clients = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String msg = "p" + i;
                    clients.add(Coop.spawn(() -> lineEcho(server.address(), msg)));
                }
                Coop.joinAll(clients);
                for (int i = 0; i < 4; i++) assertEquals("p" + i, clients.get(i).get());
                assertEquals(1, live[1], "one slot left beside the pool's other greenlet: one connection at a time");
                assertFalse(other.isDead(), "the pool's other greenlet held its slot all along");
            }
            return null;
        });
    }

    @Test
    void stopWaitsForGraceThenKillsAndServeForeverReturns() {
        Coop.run(() -> {
            List<String> events = new ArrayList<>();
            StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                try {
                    Coop.sleep(10_000);
                    events.add("slept");
                } finally {
                    events.add("finally");
                }
            });
            Greenlet<?> serving = Coop.spawn(server::serveForever);
            Coop.sleep(50);
            Socket client = CoopSocket.connect(server.address(), Duration.ofSeconds(5));
            Coop.sleep(50);
            assertEquals(1, server.connectionCount());
            Elapsed t = new Elapsed();
            server.stop(Duration.ofMillis(300));
            long ms = t.millis();
            assertTrue(ms >= 250 && ms < 2000, "stop waited the grace, then killed: " + ms + " ms");
            assertEquals(List.of("finally"), events);
            assertTrue(serving.join(Duration.ofSeconds(1)), "serveForever returned");
            assertEquals(-1, client.getInputStream().read(), "the connection was closed");
            client.close();
            try (Socket refused = new Socket()) {
                assertThrows(java.io.IOException.class, () -> refused.connect(server.address(), 500), "no longer listening");
            }
            return null;
        });
    }

    @Test
    void soTimeoutBoundsAReadWait() {
        Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> Coop.sleep(2000))) {
                server.start();
                try (Socket s = CoopSocket.connect(server.address(), Duration.ofSeconds(5))) {
                    s.setSoTimeout(300);
                    Elapsed t = new Elapsed();
                    assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
                    assertTrue(t.millis() >= 250 && t.millis() < 1500, t.millis() + " ms");
                    assertTrue(s.isConnected());
                    s.setTcpNoDelay(true);
                    assertTrue(s.getTcpNoDelay());
                    assertEquals(server.address().getPort(), s.getPort());
                }
            }
            return null;
        });
    }

    @Test
    void aReadAfterOneThatEmptiedTheSocketWaitsFirstYetLosesNothingAndStillTimesOut() {
        // a read that drains the socket makes the next read wait for readiness before reading:
        // data sent meanwhile, data sent later, a timeout and the peer's close must all come through
        Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                OutputStream out = socket.getOutputStream();
                out.write("ab".getBytes(StandardCharsets.US_ASCII));
                out.write("cd".getBytes(StandardCharsets.US_ASCII)); // before the client's next read
                Coop.sleep(500);
                out.write("ef".getBytes(StandardCharsets.US_ASCII)); // after its read timed out
            })) {
                server.start();
                try (Socket s = CoopSocket.connect(server.address(), Duration.ofSeconds(5))) {
                    var in = s.getInputStream();
                    byte[] buf = new byte[64];
                    StringBuilder got = new StringBuilder();
                    Coop.sleep(100); // "abcd" has arrived
                    int n = in.read(buf);
                    got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    s.setSoTimeout(200);
                    Elapsed t = new Elapsed();
                    assertThrows(SocketTimeoutException.class, () -> in.read(buf));
                    assertTrue(t.millis() >= 150 && t.millis() < 1500, t.millis() + " ms");
                    s.setSoTimeout(5000);
                    while ((n = in.read(buf)) > 0) got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    assertEquals("abcdef", got.toString());
                    assertEquals(-1, in.read(buf));
                }
            }
            return null;
        });
    }

    @Test
    void plainBlockingClientsOnOtherThreadsAreServed() throws Exception {
        // the server runs on its own hub thread; ordinary java.net clients talk to it
        InetSocketAddress[] at = new InetSocketAddress[1];
        StreamServer[] srv = new StreamServer[1];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread hubThread = new Thread(() -> Coop.run(() -> {
            srv[0] = new StreamServer(ANY, (socket, peer) -> echoLines(socket)).start();
            at[0] = srv[0].address();
            ready.countDown();
            Coop.sleep(1500);
            srv[0].stop(Duration.ZERO);
            return null;
        }));
        hubThread.start();
        ready.await();
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket(at[0].getAddress(), at[0].getPort())) {
                s.getOutputStream().write(("plain " + i + "\n").getBytes());
                assertEquals("plain " + i, new BufferedReader(new InputStreamReader(s.getInputStream())).readLine());
            }
        }
        hubThread.join();
    }
}
