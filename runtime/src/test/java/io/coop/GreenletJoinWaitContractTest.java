package io.coop;

import io.coop.sync.Event;
import io.coop.testing.AbstractWaitContractTest;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Greenlet#join} under the wait contract: the joiner waits for a target greenlet that waits
 * for an Event; release sets it and the target dies.
 *
 * <p>Join keeps the timeout half and LOOP_EXIT, not HANDOVER: a joiner is handed nothing (the
 * target's value stays on the greenlet for anyone to read, so nothing can be lost), and the
 * target dies by running, in a later hub pass than {@code release()}, so a wake-up cannot be
 * staged in the same pass as a Timeout.
 */
class GreenletJoinWaitContractTest extends AbstractWaitContractTest {
    private Event finish;
    private Greenlet<String> target;

    @Override
    protected Map<Part, String> exemptions() {
        return Map.of(Part.HANDOVER, "a join is handed nothing (the target's value stays on it) and the target "
                + "dies by running, never inside release(): there is no hand-over to stage or to lose");
    }

    @Override
    protected void prepare() {
        finish = new Event();
        target = Coop.spawn(() -> {
            finish.await();
            return "the target's value";
        });
        target.setName("target");
    }

    @Override
    protected Object waitFor(Duration timeout) {
        if (timeout == null) {
            target.join();
            return Boolean.TRUE;
        }
        return target.join(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        finish.set();
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertTrue(target.isDead(), target.toString());
        assertTrue(target.isSuccessful(), () -> "the target failed: " + target.exception());
        assertEquals("the target's value", target.value(), "the value stays on the target for every joiner");
        assertTrue(target.join(Duration.ZERO), "joining a dead greenlet returns at once");
        assertEquals(0, finish.waiterCount());
    }

    @Override
    protected String waitedFor() {
        return "join(target)";
    }
}
