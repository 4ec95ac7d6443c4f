package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unmodified thread-per-connection server app: NanoHTTPD's SimpleWebServer started by its own
 * {@code main} under {@code -javaagent:coop.jar}, serving a directory, with a plugin (loaded by
 * SimpleWebServer's own ServiceLoader) that waits and reports the OS thread that ran it. 1,000
 * keep-alive clients (virtual threads in the test's JVM) each make three requests on one
 * connection: a probe, a probe that waits 200 ms (all 1,000 at once), and a static file. The same
 * run without the agent gives the figures to compare: OS threads and resident memory of the
 * server process while the 1,000 connections are open.
 */
class NanoHttpdIT {
    private static final int CLIENTS = 1000;
    private static final String HELLO = "hello from a file\n";

    /** What one server run showed. */
    record Outcome(int right, Set<String> handlerThreads, long openMs, long threadsOpen, long rssOpenKb, long hwmKb, long slowRoundMs, String failures) {
        @Override
        public String toString() {
            return "right answers " + right + ", OS threads that ran handlers " + handlerThreads.size()
                    + (handlerThreads.size() == 1 ? " (" + handlerThreads.iterator().next() + ")" : "")
                    + ", 1,000 connections open after " + openMs + " ms, process threads then " + threadsOpen + ", RSS then " + rssOpenKb + " kB, peak " + hwmKb
                    + " kB, 1,000 x 200 ms probes in " + slowRoundMs + " ms" + (failures.isEmpty() ? "" : ", failures " + failures);
        }
    }

    @Test
    void thousandKeepAliveClientsOnOneOsThread(@TempDir Path dir) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("probe.coop"), "the plugin answers for this file");
        Files.writeString(www.resolve("hello.txt"), HELLO);

        System.out.println("[coop-it] NanoHttpdIT: the server is NanoHTTPD's SimpleWebServer (its own main), clients in the test JVM");
        Outcome agent = serve(Apps.agent(), www, dir.resolve("agent"));
        Outcome plain = serve(Apps.plain(), www, dir.resolve("plain"));
        System.out.println("[coop-it] NanoHttpdIT: with the agent: " + agent);
        System.out.println("[coop-it] NanoHttpdIT: without it: " + plain);
        System.out.printf("[coop-it] NanoHttpdIT: server RSS with 1,000 open connections: %d MB with the agent, %d MB without (peak %d MB vs %d MB); OS threads %d vs %d%n",
                agent.rssOpenKb / 1024, plain.rssOpenKb / 1024, agent.hwmKb / 1024, plain.hwmKb / 1024, agent.threadsOpen, plain.threadsOpen);

        assertEquals("", agent.failures, agent::toString);
        assertEquals(3 * CLIENTS, agent.right, agent::toString);
        assertEquals(1, agent.handlerThreads.size(), () -> "every handler ran on one OS thread: " + agent);
        // the probe can tell threads apart: without the agent each connection has its own
        assertEquals("", plain.failures, plain::toString);
        assertEquals(3 * CLIENTS, plain.right, plain::toString);
        assertTrue(plain.handlerThreads.size() > 100, () -> "without the agent, one OS thread per connection: " + plain);
        // the JVM's own threads (GC, compiler, coop's) but none per connection
        assertTrue(agent.threadsOpen < 100, () -> "OS threads of the server under the agent with 1,000 connections open: " + agent);
        assertTrue(plain.threadsOpen > CLIENTS, () -> "OS threads without the agent: " + plain);
        assertTrue(agent.rssOpenKb < plain.rssOpenKb, () -> "1,000 greenlets take less memory than 1,000 OS threads: " + agent + " vs " + plain);
        // 1,000 handlers each waiting 200 ms: 200 s one after another
        assertTrue(agent.slowRoundMs >= 195 && agent.slowRoundMs < 10_000, () -> "1,000 waits of 200 ms overlap: " + agent);
    }

    private Outcome serve(Jvm jvm, Path www, Path logs) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        List<String> cmd = jvm.command("fi.iki.elonen.SimpleWebServer", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--dir", www.toString(), "--quiet");
        Files.createDirectories(logs);
        Path out = logs.resolve("stdout");
        Path err = logs.resolve("stderr");
        Process server = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        String mode = jvm.mode() == Jvm.Mode.AGENT ? "agent" : "plain";
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Backends.portOpen("127.0.0.1", port)) {
                assertTrue(server.isAlive(), () -> "SimpleWebServer ended: " + read(out) + read(err));
                assertTrue(System.nanoTime() < deadline, () -> "SimpleWebServer did not listen within 30 s: " + read(out) + read(err));
                Thread.sleep(50);
            }
            Outcome o = drive(port, server.pid());
            // SimpleWebServer's main stops on Enter (ServerRunner reads System.in)
            try (OutputStream stdin = server.getOutputStream()) {
                stdin.write('\n');
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), () -> mode + ": SimpleWebServer did not stop on Enter: " + read(out) + read(err));
            assertEquals(0, server.exitValue(), () -> mode + ": " + read(out) + read(err));
            return o;
        } finally {
            if (server.isAlive()) {
                System.out.println("[coop-it] NanoHttpdIT " + mode + " server output: " + read(out) + read(err));
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** 1,000 clients: connect (50 at a time: the server's accept backlog is 50) and probe; all open; slow probe together; a file. */
    private Outcome drive(int port, long pid) throws Exception {
        AtomicInteger right = new AtomicInteger();
        Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
        Map<String, Integer> failures = new TreeMap<>();
        Semaphore connecting = new Semaphore(50);
        CountDownLatch open = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch slowDone = new CountDownLatch(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        long[] slowStart = new long[1];
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    boolean counted = false;
                    boolean slowCounted = false;
                    try {
                        connecting.acquire();
                        Conn s;
                        try {
                            s = new Conn(new Socket(InetAddress.getLoopbackAddress(), port));
                            if (probe(s, "/probe.coop", handlerThreads)) right.incrementAndGet();
                        } finally {
                            connecting.release();
                        }
                        try (s.socket) {
                            open.countDown();
                            counted = true;
                            // NanoHTTPD drops a connection idle for 5 s: keep-alive clients speak now and then
                            while (!go.await(2, TimeUnit.SECONDS)) {
                                if (!HELLO.equals(get(s, "/hello.txt"))) throw new IOException("keep-alive request failed");
                            }
                            boolean ok = probe(s, "/probe.coop?sleep=200", handlerThreads);
                            slowDone.countDown();
                            slowCounted = true;
                            if (ok) right.incrementAndGet();
                            if (HELLO.equals(get(s, "/hello.txt"))) right.incrementAndGet();
                        }
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        }
                    } finally {
                        if (!counted) open.countDown();
                        if (!slowCounted) slowDone.countDown();
                    }
                    return null;
                }));
            }
            assertTrue(open.await(60, TimeUnit.SECONDS), "1,000 connections within 60 s");
            long openMs = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Long> status = status(pid);
            slowStart[0] = System.nanoTime();
            go.countDown();
            assertTrue(slowDone.await(60, TimeUnit.SECONDS), "1,000 slow probes within 60 s");
            long slowMs = (System.nanoTime() - slowStart[0]) / 1_000_000;
            for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);
            long hwm = status(pid).get("VmHWM");
            return new Outcome(right.get(), handlerThreads, openMs, status.get("Threads"), status.get("VmRSS"), hwm, slowMs,
                    failures.isEmpty() ? "" : failures.toString());
        }
    }

    /** A client connection, read through a buffer. */
    private record Conn(Socket socket, InputStream in, OutputStream out) {
        Conn(Socket socket) throws IOException {
            this(socket, new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
            socket.setSoTimeout(30_000);
        }
    }

    /** GET of a probe on the open connection; true when the answer is right. Records the OS thread it names. */
    private static boolean probe(Conn s, String path, Set<String> handlerThreads) throws IOException {
        String body = get(s, path);
        if (body == null || !body.startsWith("probe ")) return false;
        handlerThreads.add(body.substring(6));
        return true;
    }

    /** One keep-alive HTTP/1.1 GET; the body of a 200 answer, or null. */
    private static String get(Conn s, String path) throws IOException {
        OutputStream out = s.out();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.in();
        String head = readHead(in);
        if (head == null) throw new IOException("connection closed by the server before an answer to " + path);
        long length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) length = Long.parseLong(line.substring(colon + 1).trim());
        }
        if (length < 0) throw new IOException("no Content-Length in " + head);
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) throw new IOException("short body for " + path);
        return head.startsWith("HTTP/1.1 200") ? new String(body, StandardCharsets.UTF_8) : null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) return null;
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Threads, VmRSS and VmHWM (kB) of a process, from /proc/PID/status. */
    private static Map<String, Long> status(long pid) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            String[] kv = line.split(":\\s+", 2);
            if (kv.length == 2 && (kv[0].equals("Threads") || kv[0].equals("VmRSS") || kv[0].equals("VmHWM"))) {
                m.put(kv[0], Long.parseLong(kv[1].replace(" kB", "").trim()));
            }
        }
        return m;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
