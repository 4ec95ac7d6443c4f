package io.coop.agent;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.coop.AgentSupport;

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
 * {@code stopPoll(int)} (close and shutdown wake the waiters). The JDK's poller threads are set
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
                new Target(p, "stopPoll", "(I)V", "stopPollAll"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        if (!AgentSupport.canAwaitFd()) throw new IllegalStateException("this platform has no epoll for the hub");
        if (System.getProperty("jdk.pollerMode") == null) System.setProperty("jdk.pollerMode", "1");
    }


    /** Poller.poll: a greenlet waits for its socket on the hub (the JDK re-checks the socket afterwards). */
    static Object poll(int fd, int event, long nanos, BooleanSupplier isOpen) {
        if (AgentSupport.currentGreenlet() == null) return null;
        AgentSupport.awaitFd(fd, event, nanos, isOpen);
        return Boolean.TRUE;
    }

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
