package io.coop.queue;

import io.coop.Coop;
import io.coop.Greenlet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PriorityQueue.get under the wait contract (and, nested, a full PriorityQueue's put), and priority order. */
class PriorityQueueTest extends QueueGetContract {

    @Override
    Queue<String> newQueue() {
        return new PriorityQueue<>();
    }

    @Nested
    class FullPut extends QueuePutContract {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new PriorityQueue<>(maxsize);
        }
    }

    @Test
    void leastFirstInNaturalOrder() {
        inHub(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            assertNull(q.comparator());
            for (int i : new int[] {5, 1, 4, 2, 3}) q.put(i);
            assertEquals(1, q.peekNowait());
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) out.add(q.getNowait());
            assertEquals(List.of(1, 2, 3, 4, 5), out);
        });
    }

    @Test
    void orderByAComparator() {
        inHub(() -> {
            Comparator<String> longestFirst = Comparator.comparing(String::length).reversed();
            PriorityQueue<String> q = new PriorityQueue<>(longestFirst);
            assertSame(longestFirst, q.comparator());
            for (String s : List.of("bb", "a", "dddd", "ccc")) q.put(s);
            List<String> out = new ArrayList<>();
            while (!q.isEmpty()) out.add(q.get());
            assertEquals(List.of("dddd", "ccc", "bb", "a"), out);
        });
    }

    @Test
    void blockedPuttersAreMovedInAndThenComeOutByPriority() {
        inHub(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(2);
            q.put(50);
            q.put(60);
            List<Greenlet<?>> putters = new ArrayList<>();
            for (int v : new int[] {30, 10, 20}) putters.add(spawnRecorded(() -> { q.put(v); return null; }));
            Coop.sleep(0);
            assertEquals(3, q.putterCount());
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) out.add(q.get());
            Coop.joinAll(putters);
            // 50 goes first (it was queued with 60); each get then moves in the next putter, first come first moved
            assertEquals(List.of(50, 30, 10, 20, 60), out);
        });
    }

    @Test
    void aWaitingGetterGetsTheFirstItemPutWhateverItsPriority() {
        inHub(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            Greenlet<Integer> getter = Coop.spawn(() -> q.get());
            Coop.sleep(0);
            q.put(9);
            q.put(1);
            getter.join();
            assertEquals(9, getter.value());
            assertEquals(1, q.getNowait());
        });
    }

    @Test
    void itemsThatCannotBeOrderedAreRejectedAtPut() {
        inHub(() -> {
            PriorityQueue<Object> q = new PriorityQueue<>();
            assertThrows(ClassCastException.class, () -> q.put(new Object()));
            assertTrue(q.isEmpty());
            q.put("a string");
            assertThrows(ClassCastException.class, () -> q.put(42), "not comparable with the queued String");
            assertEquals(1, q.size());
            assertThrows(NullPointerException.class, () -> new PriorityQueue<String>((Comparator<String>) null));
        });
    }
}
