package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.Elapsed;
import io.coop.testing.OsThread;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Without the agent, JDK waits inside greenlets park the greenlet's virtual thread, not the hub:
 * the other greenlets keep running on the same OS thread.
 */
class JdkWaitsInGreenletsTest {

    @Test
    void threadSleepOverlaps() {
        Set<String> threads = new HashSet<>();
        Elapsed e = new Elapsed();
        Coop.run(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                gs.add(Coop.spawn(() -> {
                    Thread.sleep(200);
                    threads.add(OsThread.id());
                    return null;
                }));
            }
            Coop.joinAll(gs);
            return null;
        });
        assertTrue(e.millis() >= 195 && e.millis() < 1500, "took " + e.millis());
        assertEquals(Set.of(OsThread.id()), threads);
    }

    @Test
    void synchronizedContentionParksTheGreenletNotTheHub() {
        Object lock = new Object();
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            Greenlet<?> holder = Coop.spawn(() -> {
                synchronized (lock) {
                    log.add("holder in");
                    Thread.sleep(100); // parks while holding the monitor
                    log.add("holder out");
                }
                return null;
            });
            Greenlet<?> contender = Coop.spawn(() -> {
                synchronized (lock) {
                    log.add("contender in");
                }
            });
            Greenlet<?> bystander = Coop.spawn(() -> log.add("bystander ran while the lock was held"));
            Coop.joinAll(List.of(holder, contender, bystander));
            return null;
        });
        assertEquals(List.of("holder in", "bystander ran while the lock was held", "holder out", "contender in"), log);
    }

    @Test
    void waitNotifyAndJucWork() {
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch latch = new CountDownLatch(3);
        List<String> log = new ArrayList<>();
        Coop.run(() -> {
            boolean[] flag = {false};
            Greenlet<?> waiter = Coop.spawn(() -> {
                synchronized (monitor) {
                    while (!flag[0]) monitor.wait();
                }
                log.add("notified");
                return null;
            });
            Greenlet<?> locker = Coop.spawn(() -> {
                lock.lock();
                try {
                    Thread.sleep(30);
                } finally {
                    lock.unlock();
                }
                return null;
            });
            Greenlet<?> second = Coop.spawn(() -> {
                Coop.sleep(1);
                assertTrue(lock.tryLock(2, TimeUnit.SECONDS));
                lock.unlock();
                log.add("lock taken after release");
                return null;
            });
            List<Greenlet<?>> counters = new ArrayList<>();
            for (int i = 0; i < 3; i++) counters.add(Coop.spawn(() -> { Thread.sleep(10); latch.countDown(); return null; }));
            assertTrue(latch.await(2, TimeUnit.SECONDS));
            log.add("latch open");
            synchronized (monitor) {
                flag[0] = true;
                monitor.notifyAll();
            }
            Coop.joinAll(List.of(waiter, locker, second));
            Coop.joinAll(counters);
            return null;
        });
        assertTrue(log.containsAll(List.of("notified", "lock taken after release", "latch open")), log.toString());
    }

    @Test
    void aPlatformThreadCanWakeAGreenletParkedInJucWithoutLoopExit() {
        CountDownLatch fromOutside = new CountDownLatch(1);
        Elapsed e = new Elapsed();
        String v = Coop.run(() -> {
            Greenlet<String> g = Coop.spawn(() -> { fromOutside.await(); return "released by a platform thread"; });
            new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                }
                fromOutside.countDown();
            }).start();
            return g.get();
        });
        assertEquals("released by a platform thread", v);
        assertTrue(e.millis() >= 95);
    }

    @Test
    void killInterruptsAGreenletBlockedInAJdkWait() {
        Coop.run(() -> {
            CountDownLatch never = new CountDownLatch(1);
            List<String> log = new ArrayList<>();
            Greenlet<?> g = Coop.spawn(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    log.add("interrupted");
                }
                Coop.sleep(1); // the next coop blocking point raises the pending GreenletExit
                log.add("not reached");
                return null;
            });
            Coop.sleep(10);
            g.kill();
            assertTrue(g.isDead());
            assertInstanceOf(GreenletExit.class, g.value());
            assertEquals(List.of("interrupted"), log);
            return null;
        });
    }
}
