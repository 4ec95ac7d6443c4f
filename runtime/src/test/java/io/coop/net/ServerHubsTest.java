package io.coop.net;

import static io.coop.net.StreamServerTest.ANY;
import static io.coop.net.StreamServerTest.echoLines;
import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Hub;
import io.coop.http.HttpServer;
import io.coop.pool.Pool;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Servers with {@code hubs(n)}: connections spread over hubs, each served by its hub's one OS thread. */
class ServerHubsTest {

    /** Connections served per hub thread, and any handler seen off its hub's thread. */
    static final class Seen {
        final Map<Thread, AtomicInteger> byHubThread = new ConcurrentHashMap<>();
        final List<String> offHub = java.util.Collections.synchronizedList(new ArrayList<>());

        void record() {
            Hub hub = Coop.hub();
            if (!hub.isHubThread()) offHub.add(Thread.currentThread().toString());
            byHubThread.computeIfAbsent(hub.thread(), t -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Opens {@code n} connections at once (greenlets of the caller's hub), says one line on each, checks the echo. */
    private static List<Socket> openEchoing(InetSocketAddress at, int n) {
        List<Greenlet<Socket>> gs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String msg = "line " + i;
            gs.add(Coop.spawn(() -> {
                Socket s = CoopSocket.connect(at, Duration.ofSeconds(5));
                s.getOutputStream().write((msg + "\n").getBytes(StandardCharsets.UTF_8));
                String back = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertEquals(msg, back);
                return s;
            }));
        }
        Coop.joinAll(gs, Duration.ofSeconds(20), true);
        List<Socket> open = new ArrayList<>();
        for (Greenlet<Socket> g : gs) open.add(g.value());
        return open;
    }

    private static void closeAll(List<Socket> sockets) throws Exception {
        for (Socket s : sockets) s.close();
    }

    @Test
    void connectionsSpreadOverTheHubsEachServedByItsHubsOneThread() throws Exception {
        Seen seen = new Seen();
        Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                seen.record();
                echoLines(socket);
            }).hubs(2)) {
                server.start();
                List<Hub> hubs = server.hubs();
                assertEquals(2, hubs.size());
                assertSame(Coop.hub(), hubs.get(0), "the hub that calls start() is one of the n");
                assertNotSame(hubs.get(0).thread(), hubs.get(1).thread());
                List<Socket> open = openEchoing(server.address(), 64);
                assertEquals(64, server.connectionCount());
                assertEquals(64, server.acceptedCount());
                closeAll(open);
                assertEquals(2, seen.byHubThread.size(), "both hubs served connections: " + seen.byHubThread);
                for (Hub h : hubs) assertTrue(seen.byHubThread.get(h.thread()).get() > 0, seen.byHubThread.toString());
                assertEquals(List.of(), seen.offHub, "every handler ran on its hub's own thread");
            }
            return null;
        });
    }

    @Test
    void withoutReusePortOneSocketHandsConnectionsToTheHubsInTurn() throws Exception {
        Seen seen = new Seen();
        withProperty("coop.reusePort", "false", () -> Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                seen.record();
                echoLines(socket);
            }).hubs(3)) {
                server.start();
                for (int i = 0; i < 9; i++) closeAll(openEchoing(server.address(), 1)); // one at a time: strictly in turn
                for (Hub h : server.hubs()) assertEquals(3, seen.byHubThread.get(h.thread()).get(), seen.byHubThread.toString());
                assertEquals(List.of(), seen.offHub);
                assertEquals(9, server.acceptedCount());
            }
            return null;
        }));
    }

    @Test
    void stopWithConnectionsOpenOnEveryHubEndsThemAllAndTheHubThreads() throws Exception {
        Seen seen = new Seen();
        List<Thread> hubThreads = new ArrayList<>();
        List<Socket> open = Coop.run(() -> {
            StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                seen.record();
                echoLines(socket); // waits for the next line until the server stops
            }).hubs(2).start();
            for (Hub h : server.hubs()) hubThreads.add(h.thread());
            List<Socket> sockets = openEchoing(server.address(), 32);
            assertEquals(2, seen.byHubThread.size(), "connections open on both hubs: " + seen.byHubThread);
            server.stop(Duration.ofMillis(50));
            assertEquals(0, server.connectionCount());
            assertFalse(server.isServing());
            return sockets;
        });
        for (Socket s : open) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "the server closed " + s);
            } catch (java.net.SocketException reset) {
                // closed by the server with data unread: also an end
            }
            s.close();
        }
        assertTrue(hubThreads.get(1).join(Duration.ofSeconds(5)), "the second hub's thread ended");
        assertTrue(hubThreads.get(0).isAlive(), "the caller's own hub thread goes on");
    }

    @Test
    void aHandlerThatFailsOnOneHubStopsNeitherThatHubNorTheOther() throws Exception {
        Seen seen = new Seen();
        Coop.run(() -> {
            try (StreamServer server = new StreamServer(ANY, (socket, peer) -> {
                seen.record();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("boom")) throw new IllegalStateException("a handler fails on " + Coop.hub().thread().getName());
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }).hubs(2)) {
                server.start();
                List<Socket> first = openEchoing(server.address(), 32);
                for (Socket s : first) s.getOutputStream().write("boom\n".getBytes(StandardCharsets.UTF_8));
                for (Socket s : first) {
                    s.setSoTimeout(5_000);
                    assertEquals(-1, s.getInputStream().read(), "a failing handler's connection is closed");
                    s.close();
                }
                seen.byHubThread.clear();
                List<Socket> second = openEchoing(server.address(), 32); // both hubs still accept and serve
                assertEquals(2, seen.byHubThread.size(), "both hubs serve after their handlers failed: " + seen.byHubThread);
                closeAll(second);
                assertEquals(List.of(), seen.offHub);
            }
            return null;
        });
    }

    @Test
    void httpServerSpreadsConnectionsAndCountsRequestsOfEveryHub() throws Exception {
        Map<String, AtomicInteger> byThread = new ConcurrentHashMap<>();
        Coop.run(() -> {
            HttpServer server = new HttpServer(ANY, exchange -> {
                String t = Thread.currentThread().isVirtual() && Coop.hub().isHubThread() ? Coop.hub().thread().getName() : "off hub";
                byThread.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet();
                byte[] body = t.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            }).hubs(2).start();
            try {
                List<Greenlet<String>> gets = new ArrayList<>();
                for (int i = 0; i < 40; i++) gets.add(Coop.spawn(() -> get(server.address(), "/")));
                Coop.joinAll(gets, Duration.ofSeconds(20), true);
                for (Greenlet<String> g : gets) assertTrue(g.value().startsWith("HTTP/1.1 200"), g.value());
                assertEquals(40, server.requestCount());
                assertFalse(byThread.containsKey("off hub"), byThread.toString());
                assertEquals(2, byThread.size(), "both hubs answered: " + byThread);
                assertEquals(2, server.hubs().size());
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
            return null;
        });
    }

    /** A GET on its own connection (Connection: close), answered in full. */
    private static String get(InetSocketAddress at, String path) throws Exception {
        try (Socket s = CoopSocket.connect(at, Duration.ofSeconds(5))) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void datagramServerSpreadsSendersOverTheHubs() throws Exception {
        Seen seen = new Seen();
        Coop.run(() -> {
            try (DatagramServer server = new DatagramServer(ANY, (data, sender, srv) -> {
                seen.record();
                srv.sendto(data, sender);
            }).hubs(2)) {
                server.start();
                int senders = 32;
                List<Greenlet<String>> replies = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    String msg = "datagram " + i;
                    replies.add(Coop.spawn(() -> {
                        try (DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) { // a sender of its own: its own port
                            c.setSoTimeout(5_000);
                            byte[] out = msg.getBytes(StandardCharsets.UTF_8);
                            c.send(new DatagramPacket(out, out.length, server.address()));
                            DatagramPacket in = new DatagramPacket(new byte[100], 100);
                            c.receive(in);
                            return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                        }
                    }));
                }
                Coop.joinAll(replies, Duration.ofSeconds(20), true);
                for (int i = 0; i < senders; i++) assertEquals("datagram " + i, replies.get(i).value());
                assertEquals(senders, server.receivedCount());
                assertEquals(2, seen.byHubThread.size(), "both hubs received: " + seen.byHubThread);
                assertEquals(List.of(), seen.offHub);
            }
            return null;
        });
    }

    @Test
    void badSettingsAreRefusedClearly() {
        Coop.run(() -> {
            assertThrows(IllegalArgumentException.class, () -> new StreamServer(ANY, (s, p) -> { }).hubs(0));
            StreamServer pooled = new StreamServer(ANY, (s, p) -> { }, new Pool(4)).hubs(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, pooled::start);
            assertTrue(e.getMessage().contains("setMaxConnections"), e.getMessage());
            try (StreamServer started = new StreamServer(ANY, (s, p) -> { }).start()) {
                assertThrows(IllegalStateException.class, () -> started.hubs(2));
            }
            return null;
        });
    }

    private static <T> T withProperty(String name, String value, Supplier<T> body) {
        String was = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return body.get();
        } finally {
            if (was == null) System.clearProperty(name);
            else System.setProperty(name, was);
        }
    }
}
