package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.Elapsed;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopExitTest {

    @Test
    void aWaitThatCanNeverEndRaisesLoopExitNamingIt() {
        LoopExit e = assertThrows(LoopExit.class, () -> Coop.run(() -> new Waiter<String>("the reply that never comes").await()));
        assertTrue(e.getMessage().contains("main waits for the reply that never comes"), e.getMessage());
    }

    @Test
    void theMainGreenletOfAPlainThreadGetsItToo() {
        LoopExit e = assertThrows(LoopExit.class, () -> new Waiter<Void>("nothing").await());
        assertTrue(e.getMessage().contains("waits for nothing"), e.getMessage());
    }

    @Test
    void twoGreenletsJoiningEachOtherAreNamed() {
        Coop.run(() -> {
            Greenlet<?>[] gs = new Greenlet<?>[2];
            gs[0] = Coop.spawn(() -> { Coop.sleep(0); gs[1].join(); });
            gs[1] = Coop.spawn(() -> { Coop.sleep(0); gs[0].join(); });
            gs[0].setName("left");
            gs[1].setName("right");
            LoopExit e = assertThrows(LoopExit.class, () -> Coop.joinAll(List.of(gs)));
            assertTrue(e.getMessage().contains("left waits for join(right)"), e.getMessage());
            assertTrue(e.getMessage().contains("right waits for join(left)"), e.getMessage());
            return null;
        });
    }

    @Test
    void theBodyCanCatchItAndGoOn() {
        assertEquals("recovered", Coop.run(() -> {
            try {
                new Waiter<Void>("x").await();
                return "not reached";
            } catch (LoopExit e) {
                return "recovered";
            }
        }));
    }

    @Test
    void notRaisedWhileAnotherThreadHoldsAKeepAlive() {
        Elapsed e = new Elapsed();
        String v = Coop.run(() -> {
            Hub hub = Coop.hub();
            Waiter<String> w = new Waiter<>("a result from another thread");
            Hub.KeepAlive ka = hub.keepAlive();
            Thread other = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                }
                w.wake("from " + Thread.currentThread().getName());
                ka.close();
            }, "worker");
            other.start();
            return w.await();
        });
        assertEquals("from worker", v);
        assertTrue(e.millis() >= 95);
    }

    @Test
    void notRaisedWhileATimerIsPending() {
        assertEquals("woken by a timer", Coop.run(() -> {
            Waiter<String> w = new Waiter<>("timer");
            Coop.spawnLater(java.time.Duration.ofMillis(30), () -> { w.wake("woken by a timer"); return null; });
            return w.await();
        }));
    }

    /**
     * A greenlet that fails is reported through the logger, in its own thread, after it is dead.
     * Logging may park that thread for a while (a handler's lock held by another thread, a slow
     * stream): a JDK wait, not a coop one, so the greenlet must still count as live meanwhile, or
     * the hub, seeing only coop waiters, takes it for "nothing can wake them" while the report is
     * about to end and wake the joiner. Here the handler parks the failing greenlet until the hub
     * itself has gone to sleep (or 10 s passed): a LoopExit comes before that, or never.
     */
    /** True while {@code hubThread} waits in the hub loop's sleep (entered only after the LoopExit check). */
    static boolean inHubSleep(Thread hubThread) {
        for (StackTraceElement f : hubThread.getStackTrace()) {
            if (f.getClassName().equals(HubLoop.class.getName()) && f.getMethodName().equals("sleep")) return true;
        }
        return false;
    }

    @Test
    void aFailingGreenletWhoseReportParksIsNotTakenForDeadlock() throws Exception {
        Thread hubThread = Thread.currentThread();
        java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.coop");
        java.util.logging.Handler slow = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (!Thread.currentThread().isVirtual() || !String.valueOf(r.getMessage()).contains("'failing' failed")) return;
                parked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Thread opener = new Thread(() -> {
            try {
                parked.await();
                long end = System.nanoTime() + 10_000_000_000L;
                // the hub sleeps once it has nothing to run: then it has looked, and raised no LoopExit
                while (!inHubSleep(hubThread) && System.nanoTime() - end < 0) Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                release.countDown();
            }
        }, "opener");
        logger.addHandler(slow);
        opener.start();
        try {
            String v = Coop.run(() -> {
                Greenlet<?> g = Coop.spawn(() -> { throw new IllegalStateException("expected: reported, and the report parks"); });
                g.setName("failing");
                g.join();
                assertInstanceOf(IllegalStateException.class, g.exception());
                return "joined";
            });
            assertEquals("joined", v);
        } finally {
            release.countDown();
            logger.removeHandler(slow);
            opener.join();
        }
    }
}
