package io.coop.bench.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A light client beside flooding ones, against any HTTP/1.1 hello-world server: each flooder
 * writes pipelined {@code GET /} requests without pause on one connection and drains what comes
 * back; the light client sends one request at a time, 5 ms apart, and times each answer. Prints
 * one line: {@code flooders=N p50_us=.. p99_us=.. max_us=.. flood_MBps=..}. Bounded: a warm-up
 * second, then {@code requests} light requests.
 *
 * <pre>{@code
 * taskset -c 1 java -cp benchmarks.jar io.coop.bench.http.FairnessLoad 18181 4 400
 * }</pre>
 */
public final class FairnessLoad {
    private FairnessLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int flooders = Integer.parseInt(args[1]);
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong floodBytes = new AtomicLong();
        List<Socket> floods = new ArrayList<>();
        byte[] batch = "GET / HTTP/1.1\r\nHost: b\r\n\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < flooders; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            floods.add(s);
            daemon(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    while (!stop.get()) out.write(batch);
                } catch (IOException closed) {
                    // the end
                }
            });
            daemon(() -> {
                byte[] buf = new byte[64 * 1024];
                try {
                    InputStream in = s.getInputStream();
                    for (int n; (n = in.read(buf)) > 0; ) floodBytes.addAndGet(n);
                } catch (IOException closed) {
                    // the end
                }
            });
        }
        Thread.sleep(1000);
        List<Long> micros = new ArrayList<>();
        long bytes0 = floodBytes.get(), t0 = System.nanoTime();
        try (Socket light = new Socket(InetAddress.getLoopbackAddress(), port)) {
            light.setTcpNoDelay(true);
            light.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(light.getInputStream());
            OutputStream out = light.getOutputStream();
            byte[] get = "GET / HTTP/1.1\r\nHost: light\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                out.write(get);
                readResponse(in);
                micros.add((System.nanoTime() - t) / 1000);
                Thread.sleep(5);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long flooded = floodBytes.get() - bytes0;
        stop.set(true);
        for (Socket s : floods) s.close();
        Collections.sort(micros);
        System.out.printf(Locale.ROOT, "flooders=%d p50_us=%d p99_us=%d max_us=%d flood_MBps=%.1f%n", flooders,
                micros.get(micros.size() / 2), micros.get(micros.size() * 99 / 100), micros.get(micros.size() - 1), flooded / seconds / 1e6);
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    /** Reads one response with a Content-Length body. */
    private static void readResponse(InputStream in) throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed");
            if (c == '\n') {
                String l = line.toString().trim();
                if (l.isEmpty()) break;
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(l.substring(15).trim());
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        if (length < 0) throw new IOException("no Content-Length");
        in.readNBytes(length);
    }
}
