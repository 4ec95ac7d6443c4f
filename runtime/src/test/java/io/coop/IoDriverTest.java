package io.coop;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coop.testing.Elapsed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hub's two I/O drivers, each reached through the hub as coop's code reaches it
 * ({@link Hub#waitIo}, {@link AgentSupport#awaitFd}): readiness and timeouts, a channel closed
 * under its waiter, an I/O waiter keeping {@link LoopExit} away, stops from another thread, and
 * the hand-over of a hub that began on a Selector and then waits on a raw descriptor. Each case
 * runs on a fresh hub (its own thread) with {@code coop.io} naming the driver. The epoll cases
 * need {@code java.base/sun.nio.ch} open: the runtime build runs this class a second time with
 * it (surefire execution {@code epoll-driver}); without it they are skipped.
 */
class IoDriverTest {
    enum Kind { selector, epoll }

    /** Runs {@code body} as {@link Coop#run} on a new thread whose hub uses {@code kind}; returns its result or rethrows. */
    static <T> T onFreshHub(Kind kind, Callable<T> body) throws Exception {
        if (kind == Kind.epoll) assumeTrue(EpollDriver.isAvailable(), "java.base/sun.nio.ch is not open to coop here");
        return onFreshHub(kind.name(), body);
    }

    static <T> T onFreshHub(String io, Callable<T> body) throws Exception {
        String before = System.getProperty("coop.io");
        System.setProperty("coop.io", io);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            Thread t = new Thread(() -> {
                try {
                    result.set(Coop.run(body));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "hub-" + io);
            t.start();
            t.join(30_000);
            assertFalse(t.isAlive(), "the hub thread did not finish");
        } finally {
            if (before == null) System.clearProperty("coop.io");
            else System.setProperty("coop.io", before);
        }
        if (failure.get() instanceof Exception e) throw e;
        if (failure.get() instanceof Error e) throw e;
        return result.get();
    }

    static Pipe nonBlockingPipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        return pipe;
    }

    static long deadline(long ms) {
        return Coop.deadline(Duration.ofMillis(ms), "timeout");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readinessWakesTheWaiterAndATimeoutEndsAWait(Kind kind) throws Exception {
        Pipe pipe = nonBlockingPipe();
        List<String> log = new ArrayList<>();
        String stats = onFreshHub(kind, () -> {
            Greenlet<Long> reader = Coop.spawn(() -> {
                Elapsed e = new Elapsed();
                assertTrue(Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, deadline(5000)));
                log.add("read " + pipe.source().read(ByteBuffer.allocate(16)));
                return e.millis();
            });
            Coop.spawn(() -> log.add("others run meanwhile"));
            Coop.sleep(50);
            assertTrue(Coop.hub().stats().contains("io=" + kind + ", ioWaiters=1"), Coop.hub().stats());
            pipe.sink().write(ByteBuffer.wrap("hello".getBytes()));
            assertTrue(reader.get() >= 40, "woken only once readable: " + reader.get() + " ms");
            Elapsed e = new Elapsed();
            assertFalse(Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, deadline(30)), "nothing more to read");
            assertTrue(e.millis() >= 25 && e.millis() < 2000, "timed out after " + e.millis() + " ms");
            return Coop.hub().stats();
        });
        assertEquals(List.of("others run meanwhile", "read 5"), log);
        assertTrue(stats.contains("io=" + kind + ", ioWaiters=0"), stats);
        pipe.source().close();
        pipe.sink().close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChannelClosedUnderItsWaiterWakesItSoItsNextReadFails(Kind kind) throws Exception {
        Pipe pipe = nonBlockingPipe();
        Class<?> seen = onFreshHub(kind, () -> {
            Greenlet<Class<?>> reader = Coop.spawn(() -> {
                Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, Hub.NO_DEADLINE);
                try {
                    pipe.source().read(ByteBuffer.allocate(4));
                    return null;
                } catch (IOException e) {
                    return e.getClass();
                }
            });
            Coop.sleep(20);
            pipe.source().close();
            Elapsed e = new Elapsed();
            Class<?> c = reader.get();
            assertTrue(e.millis() < 2000, "woke after " + e.millis() + " ms");
            return c;
        });
        assertEquals(ClosedChannelException.class, seen);
        pipe.sink().close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aClosedChannelsWaiterWakesEvenWhenANewChannelGetsItsDescriptorNumber(Kind kind) throws Exception {
        Pipe first = nonBlockingPipe();
        Pipe[] second = new Pipe[1];
        Class<?> seen = onFreshHub(kind, () -> {
            Greenlet<Class<?>> old = Coop.spawn(() -> {
                Coop.hub().waitIo(first.source(), SelectionKey.OP_READ, Hub.NO_DEADLINE);
                try {
                    first.source().read(ByteBuffer.allocate(4));
                    return null;
                } catch (IOException e) {
                    return e.getClass();
                }
            });
            Coop.sleep(20);
            first.source().close();
            second[0] = nonBlockingPipe(); // likely gets the number just freed; never readable
            Greenlet<Boolean> next = Coop.spawn(() -> Coop.hub().waitIo(second[0].source(), SelectionKey.OP_READ, deadline(3000)));
            Elapsed e = new Elapsed();
            Class<?> c = old.get();
            assertTrue(e.millis() < 2000, "the old channel's waiter woke after " + e.millis() + " ms");
            assertFalse(next.isDead(), "the new channel's waiter still waits: nothing was written to it");
            next.kill();
            return c;
        });
        assertEquals(ClosedChannelException.class, seen);
        first.sink().close();
        second[0].source().close();
        second[0].sink().close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anIoWaiterCanStillBeWokenSoTheHubDoesNotRaiseLoopExit(Kind kind) throws Exception {
        Pipe pipe = nonBlockingPipe();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(150);
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        // every greenlet waits, no timer, no keep-alive: only the descriptor can wake the reader
        boolean woken = onFreshHub(kind, () -> Coop.spawn(() -> Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, Hub.NO_DEADLINE)).get());
        assertTrue(woken);
        writer.join();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void descriptorWaitsEndOnReadinessTimeoutStopFromAnotherThreadAndInterrupt() throws Exception {
        Pipe pipe = nonBlockingPipe();
        List<String> log = onFreshHub(Kind.epoll, () -> {
            int fd = EpollDriver.fdOf(pipe.source());
            List<String> out = new ArrayList<>();
            Elapsed e = new Elapsed();
            out.add("timeout " + AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 30_000_000L, null));
            assertTrue(e.millis() >= 25, e.millis() + " ms");

            Greenlet<Boolean> stopped = Coop.spawn(() -> AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, null));
            Coop.sleep(20);
            Thread t = new Thread(() -> AgentSupport.stopFd(fd, 0)); // a close on another OS thread
            t.start();
            out.add("stopped " + stopped.get());
            t.join();

            Greenlet<Boolean> interrupted = Coop.spawn(() -> {
                boolean woken = AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, null);
                return !woken && Thread.currentThread().isInterrupted(); // ended, interrupt status left set
            });
            Coop.sleep(20);
            interrupted.thread().interrupt();
            out.add("interrupted " + interrupted.get());

            Greenlet<Boolean> readable = Coop.spawn(() -> AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, () -> true));
            Coop.sleep(20);
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            out.add("readable " + readable.get());
            out.add(Coop.hub().stats().contains("ioWaiters=0") ? "none left" : Coop.hub().stats());
            return out;
        });
        assertEquals(List.of("timeout false", "stopped true", "interrupted true", "readable true", "none left"), log);
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void aHubOnASelectorHandsItsWaitsToEpollAtItsFirstDescriptorWait() throws Exception {
        assumeTrue(EpollDriver.isAvailable(), "java.base/sun.nio.ch is not open to coop here");
        Pipe channelWait = nonBlockingPipe();
        Pipe descriptorWait = nonBlockingPipe();
        List<String> log = onFreshHub(Kind.selector, () -> {
            List<String> out = new ArrayList<>();
            Hub hub = Coop.hub();
            Greenlet<Long> a = Coop.spawn(() -> {
                Elapsed e = new Elapsed();
                assertTrue(hub.waitIo(channelWait.source(), SelectionKey.OP_READ, deadline(5000)));
                return e.millis();
            });
            Coop.sleep(20);
            out.add(hub.stats().contains("io=selector, ioWaiters=1") ? "selector" : hub.stats());
            int fd = EpollDriver.fdOf(descriptorWait.source());
            Greenlet<Boolean> b = Coop.spawn(() -> AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, null));
            Coop.sleep(100);
            out.add(hub.stats().contains("io=epoll, ioWaiters=2") ? "epoll" : hub.stats());
            out.add(a.isDead() ? "the channel wait ended early" : "the channel wait goes on");
            channelWait.sink().write(ByteBuffer.wrap(new byte[] {1}));
            out.add(a.get() >= 100 ? "channel readable" : "woken after " + a.get() + " ms");
            descriptorWait.sink().write(ByteBuffer.wrap(new byte[] {1}));
            out.add("descriptor readable " + b.get());
            out.add(hub.stats().contains("io=epoll, ioWaiters=0") ? "none left" : hub.stats());
            return out;
        });
        assertEquals(List.of("selector", "epoll", "the channel wait goes on", "channel readable", "descriptor readable true", "none left"), log);
        for (Pipe p : new Pipe[] {channelWait, descriptorWait}) {
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void coopIoMustNameADriver() throws Exception {
        Pipe pipe = nonBlockingPipe();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onFreshHub("kqueue",
                () -> Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, deadline(10))));
        assertTrue(e.getMessage().contains("coop.io must be epoll, selector or auto"), e.getMessage());
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void epollWhereCoopCannotReachItSaysWhatItNeeds() throws Exception {
        assumeFalse(EpollDriver.isAvailable(), "java.base/sun.nio.ch is open to coop here");
        Pipe pipe = nonBlockingPipe();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> onFreshHub("epoll",
                () -> Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, deadline(10))));
        assertTrue(e.getMessage().contains("java.base/sun.nio.ch"), e.getMessage());
        pipe.source().close();
        pipe.sink().close();
    }
}
