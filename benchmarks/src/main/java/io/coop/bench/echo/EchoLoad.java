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
 * Prints one line: {@code rps=<round trips/s> p50_us=.. p99_us=.. conns=.. cpu=<client CPU share>
 * pcpu=<client process CPU, cores> machine_cpu=<cores>}, and {@code server_cpu=<cores>} when given
 * the server's pid.
 * Bounded: connects, warms up {@code warmup} seconds, measures {@code seconds}, closes, exits.
 *
 * <pre>{@code
 * taskset -c 1 java -cp benchmarks.jar io.coop.bench.echo.EchoLoad 19001 1000 64 2 5
 * java -cp benchmarks.jar io.coop.bench.echo.EchoLoad 19001 1000 64 2 5 SERVER_PID
 * }</pre>
 *
 * <p>{@code cpu} is the load thread's own share of one core; {@code pcpu} is the whole client
 * JVM's CPU (its JIT and GC too) and {@code server_cpu} the server process's
 * ({@code /proc/PID/stat} utime + stime), and {@code machine_cpu} what every process of the
 * machine used ({@code /proc/stat}, all but idle and iowait), all in cores over the measured part:
 * when server and client share the cores (the scaling comparison), they say who used what, and
 * whether anything else ran meanwhile.
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
    public record Result(double rps, long p50us, long p99us, int conns, double cpu, long roundTrips,
                         double processCpu, double serverCpu, double machineCpu) {
        @Override
        public String toString() {
            String s = String.format(Locale.ROOT, "rps=%.0f p50_us=%d p99_us=%d conns=%d cpu=%.2f", rps, p50us, p99us, conns, cpu);
            s += String.format(Locale.ROOT, " pcpu=%.3f machine_cpu=%.3f", processCpu, machineCpu);
            if (!Double.isNaN(serverCpu)) s += String.format(Locale.ROOT, " server_cpu=%.3f", serverCpu);
            return s;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]), Double.parseDouble(args[4]), args.length > 5 ? Long.parseLong(args[5]) : -1));
    }

    /** One bounded run against {@code 127.0.0.1:port} on the calling thread. */
    public static Result run(int port, int conns, int size, double warmup, double seconds) throws IOException {
        return run(port, conns, size, warmup, seconds, -1);
    }

    /**
     * One bounded run against {@code 127.0.0.1:port} on the calling thread; with a
     * {@code serverPid} of 0 or more, also the CPU that process used over the measured part.
     */
    public static Result run(int port, int conns, int size, double warmup, double seconds, long serverPid) throws IOException {
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
        long processCpu0 = 0;
        long serverTicks0 = 0;
        long machineTicks0 = 0;
        long measuredStart = 0;
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        while (true) {
            selector.select(100);
            now = System.nanoTime();
            if (!measuring && now >= warmEnd) {
                measuring = true;
                measuredStart = now;
                cpu0 = bean.getCurrentThreadCpuTime();
                processCpu0 = os.getProcessCpuTime();
                serverTicks0 = serverPid >= 0 ? cpuTicks(serverPid) : 0;
                machineTicks0 = machineBusyTicks();
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
        double processCpu = (os.getProcessCpuTime() - processCpu0) / 1e9 / elapsed;
        double serverCpu = serverPid >= 0 ? (cpuTicks(serverPid) - serverTicks0) / (double) CLOCK_TICKS / elapsed : Double.NaN;
        double machineCpu = (machineBusyTicks() - machineTicks0) / (double) CLOCK_TICKS / elapsed;
        for (Conn c : all) c.ch.close();
        selector.close();
        return new Result(count / elapsed, percentile(hist, count, 0.50), percentile(hist, count, 0.99), conns, cpu, count,
                processCpu, serverCpu, machineCpu);
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}): 100 on every Linux this runs on. */
    private static final int CLOCK_TICKS = 100;

    /** utime + stime of process {@code pid}, in clock ticks, from {@code /proc/PID/stat}. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5): utime, stime
    }

    /** Clock ticks every CPU of the machine spent busy (all but idle and iowait), from {@code /proc/stat}. */
    private static long machineBusyTicks() throws IOException {
        String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait ..."
        String[] f = cpu.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length; i++) {
            if (i != 4 && i != 5 && i <= 8) busy += Long.parseLong(f[i]); // user nice system (idle iowait) irq softirq steal
        }
        return busy;
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
