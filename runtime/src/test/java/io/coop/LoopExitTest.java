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
}
