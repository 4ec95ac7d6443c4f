package io.coop.net;

import io.coop.Coop;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.http.HttpServer;
import io.coop.testing.OsThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two sides of the load tests, each run in a JVM of its own (started by {@link Forked} under a
 * raised file-descriptor limit): a coop server on one hub thread, and a single-threaded NIO client
 * that holds N connections open at once.
 *
 * <pre>
 * server echo|http|echo-quiet N     prints "PORT p", serves; on a line "report" from stdin prints
 *                                   "REPORT peak=.. threads=.. rssKb=.." and exits
 * client echo|http|burst PORT N     prints "OK n ms" or "FAIL reason"
 * </pre>
 */
public final class LoadProcess {
    private LoadProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) server(args[1], Integer.parseInt(args[2]));
        else client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }

    /** Heap in use after a full collection, in KiB: what the live connections hold. */
    static long heapKb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1024;
    }

    static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    // ---------------------------------------------------------------- server

    static void server(String kind, int n) {
        Set<String> threads = new TreeSet<>();
        long[] rssAtPeak = {-1};
        long[] heapAtPeak = {-1};
        boolean[] inflightBypass = {false};
        Coop.run(() -> {
            Hub hub = Coop.hub();
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            int[] peak = {0};
            Runnable stop;
            InetSocketAddress at;
            if (kind.equals("http")) {
                int[] inflight = {0};
                WaitQueue<Void> allIn = new WaitQueue<>();
                HttpServer http = new HttpServer(any, x -> {
                    if (inflightBypass[0]) {
                        x.sendResponseHeaders(204, -1);
                        return;
                    }
                    threads.add(OsThread.id());
                    inflight[0]++;
                    if (inflight[0] > peak[0]) peak[0] = inflight[0];
                    if (inflight[0] >= n) {
                        rssAtPeak[0] = rssKb();
                        heapAtPeak[0] = heapKb();
                        allIn.wakeAll(null);
                    } else {
                        allIn.await("all " + n + " requests in", Coop.deadline(java.time.Duration.ofSeconds(120), "t"));
                    }
                    byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
                    x.sendResponseHeaders(200, ok.length);
                    x.getResponseBody().write(ok);
                    x.close();
                    inflight[0]--;
                }).setBacklog(4096);
                http.start();
                at = http.address();
                stop = () -> Coop.spawn(() -> http.stop(java.time.Duration.ZERO));
            } else {
                int[] live = {0};
                StreamServer echo = new StreamServer(any, (socket, peer) -> {
                    threads.add(OsThread.id());
                    live[0]++;
                    if (live[0] > peak[0]) {
                        peak[0] = live[0];
                        if (peak[0] == n) {
                            rssAtPeak[0] = rssKb();
                            heapAtPeak[0] = heapKb();
                        }
                    }
                    try {
                        java.io.InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        byte[] buf = new byte[64];
                        int r;
                        while ((r = in.read(buf)) > 0) out.write(buf, 0, r);
                    } finally {
                        live[0]--;
                    }
                }).setBacklog(4096);
                echo.start();
                at = echo.address();
                stop = () -> Coop.spawn(() -> echo.stop(java.time.Duration.ZERO));
            }
            // one request before the load, so every class the server needs is loaded while
            // descriptors are free (classes load from directories here: each load opens a file)
            try (java.net.Socket warm = CoopSocket.connect(at, java.time.Duration.ofSeconds(5))) {
                String req = kind.equals("http") ? "GET /warm HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n" : "warm\n";
                warm.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
                if (kind.equals("http")) {
                    inflightBypass[0] = true;
                    warm.getInputStream().readAllBytes();
                    inflightBypass[0] = false;
                } else {
                    warm.getInputStream().read(new byte[16]);
                }
            }
            Coop.sleep(50);
            peak[0] = 0;
            System.out.println("PORT " + at.getPort());
            System.out.flush();
            io.coop.Waiter<Void> reportAsked = new io.coop.Waiter<>("a report request on stdin");
            Thread stdin = new Thread(() -> {
                try {
                    new BufferedReader(new InputStreamReader(System.in)).readLine();
                } catch (Exception ignored) {
                    // stdin closed
                }
                reportAsked.wake(null);
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            Hub.KeepAlive waitingForStdin = hub.keepAlive(); // the wake-up comes from another thread
            try {
                reportAsked.await();
            } finally {
                waitingForStdin.close();
            }
            threads.add(OsThread.id());
            // the client has gone: let the connections finish closing before measuring the idle heap
            for (int i = 0; i < 100 && Coop.hub().greenlets().size() > 2; i++) Coop.sleep(50);
            System.out.println("REPORT peak=" + peak[0] + " threads=" + threads.size() + " rssKb=" + rssAtPeak[0] + " heapKb=" + heapAtPeak[0] + " idleHeapKb=" + heapKb());
            System.out.flush();
            stop.run();
            return null;
        });
        System.exit(0);
    }

    // ---------------------------------------------------------------- client

    static final class Conn {
        final SocketChannel ch;
        final int id;
        boolean connected, done;
        final ByteBuffer in = ByteBuffer.allocate(256);

        Conn(SocketChannel ch, int id) {
            this.ch = ch;
            this.id = id;
        }
    }

    static void client(String kind, int port, int n) throws Exception {
        long t0 = System.nanoTime();
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        Selector sel = Selector.open();
        List<Conn> conns = new ArrayList<>(n);
        int opened = 0, connected = 0;
        long deadline = System.nanoTime() + 120_000_000_000L;
        // phase 1: open all n connections, at most 500 connects in flight
        while (connected < n) {
            while (opened < n && opened - connected < 500) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(ch, opened++);
                conns.add(c);
                if (ch.connect(at)) {
                    c.connected = true;
                    connected++;
                } else {
                    ch.register(sel, SelectionKey.OP_CONNECT, c);
                }
            }
            sel.select(1000);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                if (c.ch.finishConnect()) {
                    k.interestOps(0);
                    c.connected = true;
                    connected++;
                }
            }
            if (System.nanoTime() > deadline) fail("only " + connected + " of " + n + " connected");
        }
        long connectedMs = (System.nanoTime() - t0) / 1_000_000;
        if (kind.equals("burst")) {
            burst(sel, conns, n, t0);
            return;
        }
        // phase 2: every connection sends one request while all are open
        for (Conn c : conns) {
            String req = kind.equals("http") ? "GET /wait/" + c.id + " HTTP/1.1\r\nHost: load\r\n\r\n" : "hello " + c.id + "\n";
            ByteBuffer b = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) c.ch.write(b);
            SelectionKey k = c.ch.keyFor(sel);
            if (k == null) c.ch.register(sel, SelectionKey.OP_READ, c);
            else k.interestOps(SelectionKey.OP_READ);
        }
        int answered = 0;
        while (answered < n) {
            sel.select(1000);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                if (c.ch.read(c.in) < 0) fail("connection " + c.id + " closed before its answer");
                String got = new String(c.in.array(), 0, c.in.position(), StandardCharsets.US_ASCII);
                boolean complete = kind.equals("http") ? got.startsWith("HTTP/1.1 200 OK") && got.endsWith("\r\n\r\nok")
                        : got.equals("hello " + c.id + "\n");
                if (complete && !c.done) {
                    c.done = true;
                    answered++;
                    k.interestOps(0);
                }
            }
            if (System.nanoTime() > deadline) fail("only " + answered + " of " + n + " answered");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (Conn c : conns) c.ch.close();
        System.out.println("OK " + n + " connections open at once, all answered; connected in " + connectedMs + " ms, done in " + ms + " ms");
    }

    /** Many more connections than the server's fd limit: each must be served once others close. */
    static void burst(Selector sel, List<Conn> conns, int n, long t0) throws Exception {
        Set<Conn> waiting = new HashSet<>(conns);
        for (Conn c : conns) {
            c.ch.write(ByteBuffer.wrap(("hello " + c.id + "\n").getBytes(StandardCharsets.US_ASCII)));
            SelectionKey k = c.ch.keyFor(sel);
            if (k == null) c.ch.register(sel, SelectionKey.OP_READ, c);
            else k.interestOps(SelectionKey.OP_READ);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!waiting.isEmpty()) {
            sel.select(1000);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                int r = c.ch.read(c.in);
                String got = new String(c.in.array(), 0, c.in.position(), StandardCharsets.US_ASCII);
                if (got.equals("hello " + c.id + "\n")) {
                    waiting.remove(c);
                    k.cancel();
                    c.ch.close(); // frees a descriptor at the server: the next in the backlog gets it
                } else if (r < 0) {
                    fail("connection " + c.id + " closed before its echo");
                }
            }
            if (System.nanoTime() > deadline) fail(waiting.size() + " of " + n + " never got their echo");
        }
        System.out.println("OK " + n + " echoed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    static void fail(String why) {
        System.out.println("FAIL " + why);
        System.exit(1);
    }
}
