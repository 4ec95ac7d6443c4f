package io.coop.queue;

import io.coop.Coop;
import io.coop.Greenlet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LifoQueue.get under the wait contract (and, nested, a full LifoQueue's put), and LIFO order. */
class LifoQueueTest extends QueueGetContract {

    @Override
    Queue<String> newQueue() {
        return new LifoQueue<>();
    }

    @Nested
    class FullPut extends QueuePutContract {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new LifoQueue<>(maxsize);
        }
    }

    @Test
    void lastInFirstOut() {
        inHub(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i = 1; i <= 4; i++) q.put(i);
            assertEquals(4, q.peekNowait());
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) out.add(q.get());
            assertEquals(List.of(4, 3, 2, 1), out);
        });
    }

    @Test
    void aBlockedPutterIsMovedInOnTopByTheGetThatFreesASlot() {
        inHub(() -> {
            LifoQueue<String> q = new LifoQueue<>(2);
            q.put("a");
            q.put("b");
            Greenlet<?> putter = spawnRecorded(() -> {
                q.put("c");
                return null;
            });
            Coop.sleep(0);
            assertEquals(1, q.putterCount());
            assertEquals("b", q.get());
            assertEquals("c", q.peekNowait(), "c moved in on top");
            assertEquals("c", q.get());
            assertEquals("a", q.get());
            putter.join();
            assertTrue(putter.isSuccessful());
        });
    }

    @Test
    void waitingGettersStillFirstInFirstOut() {
        inHub(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            List<String> got = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b")) gs.add(spawnRecorded(() -> got.add(name + q.get())));
            Coop.sleep(0);
            q.put(1);
            q.put(2);
            Coop.joinAll(gs);
            assertEquals(List.of("a1", "b2"), got);
        });
    }
}
