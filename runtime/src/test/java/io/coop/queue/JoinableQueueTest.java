package io.coop.queue;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.LoopExit;
import io.coop.testing.AbstractWaitContractTest;
import io.coop.testing.Elapsed;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JoinableQueue.join under the wait contract (one unfinished task; release = taskDone), nested:
 * its get and a full JoinableQueue's put; and the task counting.
 */
class JoinableQueueTest extends AbstractWaitContractTest {
    private JoinableQueue<String> jq;

    @Override
    protected void prepare() {
        jq = new JoinableQueue<>();
        jq.put("task");
    }

    @Override
    protected Object waitFor(Duration timeout) {
        if (timeout == null) {
            jq.join();
            return Boolean.TRUE;
        }
        return jq.join(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        assertEquals("task", jq.getNowait());
        jq.taskDone();
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertEquals(0, jq.unfinishedTasks());
        assertTrue(jq.isEmpty());
        assertThrows(IllegalStateException.class, jq::taskDone);
    }

    @Override
    protected String waitedFor() {
        return "JoinableQueue.join on";
    }

    @Nested
    class Get extends QueueGetContract {
        @Override
        Queue<String> newQueue() {
            return new JoinableQueue<>();
        }
    }

    @Nested
    class FullPut extends QueuePutContract {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new JoinableQueue<>(maxsize);
        }
    }

    // ---------------------------------------------------------------- task counting

    @Test
    void joinReturnsOnceEveryTaskIsDone() {
        inHub(() -> {
            JoinableQueue<Integer> q = new JoinableQueue<>();
            List<String> log = new ArrayList<>();
            List<Greenlet<?>> workers = new ArrayList<>();
            for (String name : List.of("w1", "w2")) {
                workers.add(spawnRecorded(() -> {
                    while (true) {
                        int task = q.get();
                        try {
                            Coop.sleep(10 * task);
                            log.add(name + " did " + task);
                        } finally {
                            q.taskDone();
                        }
                    }
                }));
            }
            for (int i = 1; i <= 6; i++) q.put(i);
            assertEquals(6, q.unfinishedTasks());
            Elapsed start = new Elapsed();
            q.join();
            assertEquals(0, q.unfinishedTasks());
            assertEquals(6, log.size(), "every task done before join returned: " + log);
            // 2 workers, tasks of 10..60 ms: w1 1,3,5 = 90 ms, w2 2,4,6 = 120 ms
            assertTook(120, start.millis(), "join of 6 tasks on 2 workers");
            Coop.killAll(workers);
        });
    }

    @Test
    void joinWithNothingPutReturnsAtOnce() {
        inHub(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.join();
            assertTrue(q.join(Duration.ZERO));
            q.put("x");
            assertFalse(q.join(Duration.ZERO));
            q.get();
            assertFalse(q.join(Duration.ofMillis(10)), "got is not done");
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        });
    }

    @Test
    void taskDoneMoreOftenThanPutsIsAnIllegalStateException() {
        inHub(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            assertThrows(IllegalStateException.class, q::taskDone);
            q.put("a");
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals(0, q.unfinishedTasks());
        });
    }

    @Test
    void itemsHandedOverDirectlyOrMovedInAreCountedOnce() {
        inHub(() -> {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            Greenlet<String> getter = Coop.spawn(() -> q.get());
            Coop.sleep(0);
            q.put("direct"); // straight to the waiting getter
            assertEquals(1, q.unfinishedTasks());
            getter.join();
            q.put("queued");
            Greenlet<?> putter = Coop.spawn(() -> q.put("moved"));
            Greenlet<?> killed = Coop.spawn(() -> q.put("killed"));
            Coop.sleep(0);
            assertEquals(2, q.unfinishedTasks(), "waiting putters are not counted yet");
            killed.kill();
            assertEquals("queued", q.get()); // moves "moved" in
            assertEquals(3, q.unfinishedTasks());
            putter.join();
            assertEquals("moved", q.get());
            for (int i = 0; i < 3; i++) q.taskDone();
            assertTrue(q.join(Duration.ZERO));
            assertThrows(Empty.class, q::getNowait, "the killed put inserted nothing");
        });
    }

    @Test
    void joinNobodyCanFinishIsALoopExitNamingIt() {
        LoopExit exit = assertThrows(LoopExit.class, () -> inHub(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("never done");
            q.join();
        }));
        assertTrue(exit.getMessage().contains("JoinableQueue.join"), exit.getMessage());
    }
}
