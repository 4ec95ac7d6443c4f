package io.coop.queue;

import io.coop.testing.AbstractWaitContractTest;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait contract for {@code get} on an empty queue of any kind. */
abstract class QueueGetContract extends AbstractWaitContractTest {
    Queue<String> q;
    private int released;

    /** A new, empty queue of the kind under test. */
    abstract Queue<String> newQueue();

    @Override
    protected void prepare() {
        q = newQueue();
    }

    @Override
    protected Object waitFor(Duration timeout) {
        return timeout == null ? q.get() : q.get(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return Empty.class;
    }

    @Override
    protected Object release() {
        String item = "item-" + released++;
        q.putNowait(item);
        return item;
    }

    @Override
    protected void assertConsistent() {
        assertTrue(q.isEmpty(), "the item went to the one getter let through, not back into " + q);
        assertEquals(0, q.getterCount());
        assertEquals(0, q.putterCount());
        assertThrows(Empty.class, q::getNowait);
    }

    @Override
    protected String waitedFor() {
        return q.getClass().getSimpleName() + ".get on ";
    }
}
