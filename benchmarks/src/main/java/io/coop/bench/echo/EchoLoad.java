package io.coop.bench.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Locale;

/**
 * Closed-loop TCP echo load on one thread: {@code conns} connections, each with one
 * {@code size}-byte message in flight; a round trip is counted when the whole message is back.
 * Prints one line: {@code rps=<round trips/s> p50_us=.. p99_us=.. conns=.. cpu=<client CPU share>}.
 * Bounded: connects, warms up {@code warmup} seconds, measures {@code seconds}, closes, exits.
 *
 * <pre>{@code
 * taskset -c 1 java -cp benchmarks.jar io.coop.bench.echo.EchoLoad 19001 1000 64 2 5
 * }</pre>
 */
public final class EchoLoad {
    private static final int MAX_US = 1_000_000;

    private EchoLoad() {
    }

    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        long sentAt;

        Conn(SocketChannel ch, int size) {
            this.ch = ch;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) out.put((byte) ('a' + i % 26));
            out.flip();
        }
    }

    /** The figures of one run: round trips/s, p50 and p99 in microseconds, this thread's CPU share. */
    public record Result(double rps, long p50us, long p99us, int conns, double cpu, long roundTrips) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "rps=%.0f p50_us=%d p99_us=%d conns=%d cpu=%.2f", rps, p50us, p99us, conns, cpu);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]), Double.parseDouble(args[4])));
    }

    /** One bounded run against {@code 127.0.0.1:port} on the calling thread. */
    public static Result run(int port, int conns, int size, double warmup, double seconds) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

        Selector selector = Selector.open();
        Conn[] all = new Conn[conns];
        for (int i = 0; i < conns; i++) {
            SocketChannel ch = SocketChannel.open(address);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            all[i] = new Conn(ch, size);
            ch.register(selector, SelectionKey.OP_READ, all[i]);
        }
        int[] hist = new int[MAX_US + 1];
        long now = System.nanoTime();
        for (Conn c : all) send(c, now);
        long warmEnd = now + (long) (warmup * 1e9);
        long end = warmEnd + (long) (seconds * 1e9);
        boolean measuring = false;
        long count = 0;
        long cpu0 = 0;
        long measuredStart = 0;
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        while (true) {
            selector.select(100);
            now = System.nanoTime();
            if (!measuring && now >= warmEnd) {
                measuring = true;
                measuredStart = now;
                cpu0 = bean.getCurrentThreadCpuTime();
            }
            if (now >= end) break;
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                Conn c = (Conn) key.attachment();
                if (key.isWritable()) {
                    c.ch.write(c.out);
                    if (!c.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
                    continue;
                }
                int n = c.ch.read(c.in);
                if (n < 0) throw new IOException("server closed a connection");
                if (c.in.hasRemaining()) continue;
                long t = System.nanoTime();
                if (measuring) {
                    count++;
                    hist[(int) Math.min(MAX_US, (t - c.sentAt) / 1000)]++;
                }
                c.in.clear();
                c.out.rewind();
                send(c, t);
                if (c.out.hasRemaining()) key.interestOps(SelectionKey.OP_WRITE);
            }
        }
        double elapsed = (now - measuredStart) / 1e9;
        double cpu = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9 / elapsed;
        for (Conn c : all) c.ch.close();
        selector.close();
        return new Result(count / elapsed, percentile(hist, count, 0.50), percentile(hist, count, 0.99), conns, cpu, count);
    }

    private static void send(Conn c, long now) throws IOException {
        c.sentAt = now;
        c.ch.write(c.out);
    }

    private static int percentile(int[] hist, long count, double p) {
        long want = (long) Math.ceil(count * p);
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= want && want > 0) return i;
        }
        return -1;
    }
}
