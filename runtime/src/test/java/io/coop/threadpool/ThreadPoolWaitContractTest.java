package io.coop.threadpool;

import io.coop.Coop;
import io.coop.Timeout;
import io.coop.testing.AbstractWaitContractTest;
import io.coop.testing.OsThread;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ThreadPool#apply} under the wait contract. Each wait hands a task to a one-thread pool;
 * the task blocks its real OS thread on a latch of its own, and release opens the latches. A
 * task whose apply gave up (Timeout, kill) keeps its thread until then, so the next apply queues
 * behind it: its result must be dropped, never handed to the next waiter.
 *
 * <p>Keeps the timeout half only. HANDOVER: the result arrives from the pool thread through the
 * hub's inbox, never inside {@code release()}, so a wake-up cannot be staged in the same hub pass
 * as a Timeout (an apply cut by one drops its result by design). LOOP_EXIT: while a task runs
 * the pool holds a keep-alive on the hub, since the thread can still end the wait (checked by
 * {@code ThreadPoolTest.loopExitIsNotRaisedWhileATaskIsInFlight}).
 */
class ThreadPoolWaitContractTest extends AbstractWaitContractTest {
    private ThreadPool pool;
    /** One latch per task, in the order the applies were made; release opens them all. */
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
    /** The OS threads the tasks ran on. */
    private final List<String> taskThreads = new CopyOnWriteArrayList<>();

    @Override
    protected Map<Part, String> exemptions() {
        return Map.of(
                Part.HANDOVER, "the result is posted from a pool thread through the hub's inbox, never inside "
                        + "release(): it cannot be staged in one hub pass with a Timeout or kill",
                Part.LOOP_EXIT, "a pool thread can still end the wait, so the pool keeps the hub alive while a task "
                        + "runs (ThreadPoolTest.loopExitIsNotRaisedWhileATaskIsInFlight checks that)");
    }

    @Override
    protected void prepare() {
        pool = new ThreadPool(1, "contract", Duration.ofSeconds(30));
    }

    @Override
    protected Object waitFor(Duration timeout) {
        CountDownLatch gate = new CountDownLatch(1);
        String result = "result-" + gates.size();
        gates.add(gate);
        return timeout == null ? pool.apply(() -> task(gate, result)) : pool.apply(() -> task(gate, result), timeout);
    }

    private String task(CountDownLatch gate, String result) throws InterruptedException {
        taskThreads.add(OsThread.id());
        gate.await();
        return result;
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return Timeout.class;
    }

    /** Opens every latch: the tasks given up on finish too; the newest one is the waiter's. */
    @Override
    protected Object release() {
        for (CountDownLatch g : gates) g.countDown();
        return "result-" + (gates.size() - 1);
    }

    @Override
    protected void assertConsistent() {
        for (CountDownLatch g : gates) g.countDown();
        // one thread, first come first served: once this apply is back, every earlier task has run
        // and its delivery (posted before this one's) has been handled
        assertEquals("after", pool.apply(() -> "after", Duration.ofSeconds(10)));
        assertEquals(0, pool.queuedCount(), pool.toString());
        assertTrue(Coop.hub().stats().contains("keepAlive=0"),
                "no job still holds the hub alive (a cut apply's job must let go once done): " + Coop.hub().stats());
        String hubThread = OsThread.id();
        for (String t : taskThreads) assertNotEquals(hubThread, t, "a task ran on the hub's thread");
    }

    @AfterEach
    void openGatesAndShutDown() {
        for (CountDownLatch g : gates) g.countDown();
        if (pool != null) pool.shutdown();
    }
}
