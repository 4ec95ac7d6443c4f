package io.coop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line itself: order kept when waiters leave from anywhere in it. */
class WaitQueueTest {

    @Test
    void waitersLeavingFromTheMiddleAndTheEndsKeepTheOthersInOrder() {
        Coop.run(() -> {
            WaitQueue<Integer> line = new WaitQueue<>();
            List<Integer> woken = new ArrayList<>();
            List<Greenlet<?>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int id = i;
                all.add(Coop.spawn(() -> {
                    Waiter<Integer> w = line.await("wait " + id, Hub.NO_DEADLINE);
                    woken.add(id * 100 + w.value());
                }));
            }
            Coop.sleep(0);
            assertEquals(6, line.size());
            all.get(0).kill(); // the first
            all.get(3).kill(); // one in the middle
            all.get(5).kill(); // the last
            assertEquals(3, line.size());
            List<String> left = new ArrayList<>();
            for (Iterator<Waiter<Integer>> it = line.iterator(); it.hasNext(); ) left.add(it.next().describe());
            assertEquals(List.of("wait 1", "wait 2", "wait 4"), left);
            assertEquals("wait 1", line.peek().describe());
            assertTrue(line.wakeOne(7));
            assertEquals(2, line.wakeAll(8));
            assertTrue(line.isEmpty());
            assertNull(line.peek());
            assertFalse(line.wakeOne(9));
            Coop.joinAll(all);
            assertEquals(List.of(107, 208, 408), woken);
            return null;
        });
    }

    @Test
    void aTimedOutWaiterLeavesAndAPolledOneIsNotWoken() {
        Coop.run(() -> {
            WaitQueue<String> line = new WaitQueue<>();
            Greenlet<?> a = Coop.spawn(() -> line.await("a", Coop.deadline(Duration.ofMillis(20), "timeout")));
            Greenlet<?> b = Coop.spawn(() -> line.await("b", Hub.NO_DEADLINE));
            Coop.sleep(0);
            assertEquals(2, line.size());
            assertNull(a.get());
            assertEquals(1, line.size());
            Waiter<String> polled = line.poll();
            assertEquals("b", polled.describe());
            assertTrue(line.isEmpty());
            assertFalse(polled.isWoken());
            polled.wake("late");
            assertEquals("late", ((Waiter<?>) b.get()).value());
            return null;
        });
    }

    @Test
    void tenThousandWaitersKilledNewestFirstLeaveTheLineEmpty() {
        Coop.run(() -> {
            WaitQueue<Void> line = new WaitQueue<>();
            List<Greenlet<?>> all = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) all.add(Coop.spawn(() -> line.await("w", Hub.NO_DEADLINE)));
            Coop.sleep(0);
            java.util.Collections.reverse(all);
            Coop.killAll(all);
            assertTrue(line.isEmpty());
            assertEquals(0, line.size());
            return null;
        });
    }
}
