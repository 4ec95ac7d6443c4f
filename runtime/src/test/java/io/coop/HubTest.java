package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.Elapsed;
import io.coop.testing.OsThread;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubTest {

    static void parkedDeepInside(int depth) {
        if (depth == 0) Coop.sleep(10_000);
        else parkedDeepInside(depth - 1);
    }

    @Test
    void dumpShowsEveryGreenletWithStateAndStack() {
        Coop.run(() -> {
            Greenlet<?> sleeper = Coop.spawn(() -> parkedDeepInside(3));
            sleeper.setName("deep-sleeper");
            Greenlet<?> notYet = Coop.spawn(() -> 1);
            notYet.setName("not-yet-run");
            Coop.sleep(0);
            String dump = Coop.hub().dump();
            assertTrue(dump.contains("deep-sleeper, waiting for sleep(10 s)"), dump);
            assertTrue(dump.contains("parkedDeepInside"), dump);
            assertTrue(dump.contains("[main, running]"), dump);
            assertEquals(List.of(Coop.current(), sleeper), Coop.hub().greenlets());
            sleeper.kill();
            return null;
        });
    }

    @Test
    void postFromAnotherThreadRunsOnTheHubInArrivalOrder() throws Exception {
        List<String> order = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        Coop.run(() -> {
            Hub hub = Coop.hub();
            Waiter<Void> done = new Waiter<>("posts");
            try (Hub.KeepAlive ka = hub.keepAlive()) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        int n = i;
                        hub.post(() -> { order.add("p" + n); threads.add(OsThread.id()); });
                    }
                    hub.post(() -> done.wake(null));
                });
                t.start();
                done.await();
            }
            return null;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) expected.add("p" + i);
        assertEquals(expected, order);
        assertEquals(1, threads.stream().distinct().count());
        assertEquals(OsThread.id(), threads.get(0));
    }

    @Test
    void objectsOfAHubRefuseUseFromAnotherThread() throws Exception {
        Greenlet<?>[] g = new Greenlet<?>[1];
        Coop.run(() -> {
            g[0] = Coop.spawn(() -> Coop.sleep(1));
            g[0].join();
            return null;
        });
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                g[0].kill();
                g[0].start();
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        t.join();
        assertNull(seen[0], "kill of a dead greenlet is harmless from anywhere");
        Greenlet<?> fresh = new Greenlet<>(() -> 1);
        Thread t2 = new Thread(() -> {
            try {
                fresh.start();
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t2.start();
        t2.join();
        assertInstanceOf(IllegalStateException.class, seen[0]);
    }

    @Test
    void socketReadinessWakesTheWaiterAndOthersRunMeanwhile() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> reader = Coop.spawn(() -> {
                Elapsed e = new Elapsed();
                assertTrue(Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, Coop.deadline(Duration.ofSeconds(5), "t")));
                ByteBuffer b = ByteBuffer.allocate(16);
                pipe.source().read(b);
                long ms = e.millis();
                assertTrue(ms >= 55 && ms < 2000, "readable after " + ms + " ms");
                log.add("read " + b.position() + " bytes");
                return null;
            });
            Coop.spawn(() -> { log.add("others run meanwhile"); });
            Coop.sleep(60);
            pipe.sink().write(ByteBuffer.wrap("hello".getBytes()));
            reader.join();
            assertFalse(Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, Coop.deadline(Duration.ofMillis(30), "t")),
                    "nothing more to read: times out");
            return null;
        });
        assertEquals(List.of("others run meanwhile", "read 5 bytes"), log);
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void aChannelClosedUnderAWaiterWakesItInsteadOfHanging() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        Coop.run(() -> {
            Greenlet<Class<?>> reader = Coop.spawn(() -> {
                Coop.hub().waitIo(pipe.source(), SelectionKey.OP_READ, Hub.NO_DEADLINE);
                try {
                    pipe.source().read(ByteBuffer.allocate(4));
                    return null;
                } catch (java.io.IOException e) {
                    return e.getClass();
                }
            });
            Coop.sleep(20);
            pipe.source().close();
            Elapsed e = new Elapsed();
            assertEquals(java.nio.channels.ClosedChannelException.class, reader.get());
            assertTrue(e.millis() < 2000, "woke after " + e.millis() + " ms");
            return null;
        });
        pipe.sink().close();
    }

    @Test
    void maxBlockingTimeIsValidated() {
        Hub hub = Coop.hub();
        assertThrows(IllegalArgumentException.class, () -> hub.setMaxBlockingTime(Duration.ZERO));
        hub.setMaxBlockingTime(Duration.ofMillis(250));
        assertEquals(Duration.ofMillis(250), hub.maxBlockingTime());
        hub.setMaxBlockingTime(Duration.ofMillis(100));
    }
}
