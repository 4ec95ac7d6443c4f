package io.coop.agent;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.coop.AgentSupport;
import io.coop.Config;

/**
 * The {@code socket} area: when a greenlet blocks on a socket ({@code Socket},
 * {@code ServerSocket}, {@code SocketChannel}, {@code ServerSocketChannel},
 * {@code DatagramChannel} and {@code DatagramSocket} in blocking mode, and SSL sockets layered on
 * them), it waits for readiness on its hub's epoll instead of registering with a JDK poller
 * thread. The JDK's socket code around the wait is unchanged, so timeouts
 * ({@code setSoTimeout}, connect timeouts) end with the JDK's own
 * {@code SocketTimeoutException}, and a close from another thread ends the wait with the
 * JDK's own "Socket closed".
 *
 * <p>JDK targets: {@code sun.nio.ch.Poller.poll(int, int, long, BooleanSupplier)} (every park
 * of a virtual thread on a socket: {@code NioSocketImpl.park}, {@code SelChImpl.park},
 * {@code DatagramChannelImpl.park}), {@code sun.nio.ch.Poller.stopPoll(int, int)} and
 * {@code stopPoll(int)} (close and shutdown wake the waiters); {@code sun.nio.ch.NioSocketImpl.listen(int)}
 * and {@code ServerSocketChannelImpl.netBind(SocketAddress, int)} (the listen backlog of a socket
 * a greenlet binds, see {@code Backlog}). The JDK's poller threads are set
 * to {@code jdk.pollerMode=1} (platform threads, made only if some non-greenlet virtual thread
 * uses a socket) unless the application chose a mode.
 *
 * <pre>{@code
 * // thread-per-connection server, unchanged: every connection a greenlet, one OS thread
 * try (ServerSocket server = new ServerSocket(8080)) {
 *     while (true) { Socket s = server.accept(); new Thread(() -> echo(s)).start(); }
 * }
 * }</pre>
 */
public final class SocketPatch implements Patch {

    @Override
    public String area() {
        return "socket";
    }

    @Override
    public List<Target> targets(int jdk) {
        String p = "sun.nio.ch.Poller";
        return List.of(
                new Target(p, "poll", "(IIJLjava/util/function/BooleanSupplier;)V", "poll"),
                new Target(p, "stopPoll", "(II)V", "stopPoll"),
                new Target(p, "stopPoll", "(I)V", "stopPollAll"),
                new Target("sun.nio.ch.NioSocketImpl", "listen", "(I)V", "listen").optionalTarget(),
                new Target("sun.nio.ch.ServerSocketChannelImpl", "netBind", "(Ljava/net/SocketAddress;I)Ljava/net/SocketAddress;", "netBind")
                        .optionalTarget());
    }

    /**
     * The listen backlog of a socket a greenlet listens on: at least {@code coop.listenBacklog}
     * (default the kernel's cap, {@code net.core.somaxconn}), as production servers size theirs.
     * On one hub every client greenlet of a burst connects before the acceptor greenlet runs
     * again, so the JDK's default of 50 drops the rest, which then wait a whole second for the
     * kernel's SYN retry. 0 leaves the application's backlog as it is.
     */
    private static final class Backlog {
        static final int WANTED = Config.integer("listenBacklog", somaxconn(), 0);
        static final MethodHandle LISTEN, NET_BIND;

        static {
            try {
                Class<?> impl = Class.forName("sun.nio.ch.NioSocketImpl");
                Class<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
                LISTEN = MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
                        .findVirtual(impl, "listen", MethodType.methodType(void.class, int.class))
                        .asType(MethodType.methodType(void.class, Object.class, int.class));
                NET_BIND = MethodHandles.privateLookupIn(channel, MethodHandles.lookup())
                        .findVirtual(channel, "netBind", MethodType.methodType(SocketAddress.class, SocketAddress.class, int.class))
                        .asType(MethodType.methodType(SocketAddress.class, Object.class, SocketAddress.class, int.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static int somaxconn() {
            try {
                // not Files.readString: it trusts the size procfs reports and reads one byte
                int n = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
                return n > 0 ? n : 4096;
            } catch (IOException | RuntimeException e) {
                return 4096;
            }
        }

        /** True when a greenlet asks for less than the wanted backlog (the JDK turns 0 into 50). */
        static boolean raise(int backlog) {
            return AgentSupport.currentGreenlet() != null && WANTED > 0 && (backlog < 1 ? 50 : backlog) < WANTED;
        }
    }

    /** NioSocketImpl.listen: a greenlet's server socket listens with the wanted backlog (the JDK's listen runs again with it). */
    static Object listen(Object socketImpl, int backlog) throws Throwable {
        if (!Backlog.raise(backlog)) return null;
        Backlog.LISTEN.invokeExact(socketImpl, Backlog.WANTED);
        return Boolean.TRUE;
    }

    /** ServerSocketChannelImpl.netBind: as {@link #listen}, for a channel bound by a greenlet. */
    static Object netBind(Object channel, SocketAddress local, int backlog) throws Throwable {
        if (!Backlog.raise(backlog)) return null;
        return (SocketAddress) Backlog.NET_BIND.invokeExact(channel, local, Backlog.WANTED);
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        if (!AgentSupport.canAwaitFd()) throw new IllegalStateException("this platform has no epoll for the hub");
        if (System.getProperty("jdk.pollerMode") == null) System.setProperty("jdk.pollerMode", "1");
    }

    // Poller.poll: HooksImpl.poll calls AgentSupport.pollFd itself (a greenlet waits for its socket
    // on the hub; the JDK re-checks the socket afterwards): no frame of this class under the wait

    /** Poller.stopPoll(fd, event): wake greenlets waiting on fd (the JDK's own pollers are told too). */
    static Object stopPoll(int fd, int event) {
        AgentSupport.stopFd(fd, event);
        return null;
    }

    /** Poller.stopPoll(fd): a close; wake every greenlet waiting on fd. */
    static Object stopPollAll(int fd) {
        AgentSupport.stopFd(fd, 0);
        return null;
    }
}
