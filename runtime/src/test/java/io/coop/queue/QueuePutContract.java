package io.coop.queue;

import io.coop.testing.AbstractWaitContractTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The wait contract for {@code put} on a full queue (or a Channel). Checks that only the put that
 * was let through inserted its item, exactly once: a put that timed out or was killed before its
 * hand-off inserted nothing.
 */
abstract class QueuePutContract extends AbstractWaitContractTest {
    Queue<String> q;
    private List<String> fillers;
    private final List<String> attempts = new ArrayList<>();
    private final List<String> out = new ArrayList<>();

    /** A new queue of the kind under test, with room for one item (ignored by a Channel). */
    abstract Queue<String> newQueue(int maxsize);

    @Override
    protected void prepare() {
        q = newQueue(1);
        fillers = new ArrayList<>();
        while (!q.isFull()) {
            String f = "filler-" + fillers.size();
            q.putNowait(f);
            fillers.add(f);
        }
    }

    @Override
    protected Object waitFor(Duration timeout) {
        String item = "put-" + attempts.size();
        attempts.add(item);
        if (timeout == null) q.put(item);
        else q.put(item, timeout);
        return Boolean.TRUE;
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return Full.class;
    }

    /** Takes one item: a filler (freeing the waiting putter's slot) or, for a Channel, the putter's item. */
    @Override
    protected Object release() {
        out.add(q.getNowait());
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertEquals(0, q.putterCount(), q.toString());
        assertEquals(0, q.getterCount(), q.toString());
        while (true) {
            try {
                out.add(q.getNowait());
            } catch (Empty e) {
                break;
            }
        }
        List<String> expected = new ArrayList<>(fillers);
        expected.add(attempts.get(attempts.size() - 1)); // each test lets exactly one put through: the last
        assertEquals(expected, out, "items put: " + attempts);
    }

    @Override
    protected String waitedFor() {
        return q.getClass().getSimpleName() + ".put on ";
    }
}
