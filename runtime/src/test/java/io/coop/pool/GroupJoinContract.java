package io.coop.pool;

import io.coop.Greenlet;
import io.coop.sync.Event;
import io.coop.testing.AbstractWaitContractTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wait contract for a group's {@code join}: two members wait for an Event; release sets it,
 * they die and leave, and the group turns empty.
 *
 * <p>A join keeps the timeout half and LOOP_EXIT, not HANDOVER: the members die by running, in a
 * later hub pass than {@code release()}, and a joiner is handed nothing that could be lost.
 */
abstract class GroupJoinContract extends AbstractWaitContractTest {
    static final String JOIN_EXEMPTION = "the members die by running, never inside release(), and a joiner is "
            + "handed nothing (the members' values stay on them): there is no hand-over to stage or to lose";

    private Event finish;
    private Group group;
    private final List<Greenlet<?>> members = new ArrayList<>();

    /** A new group of the kind under test. */
    abstract Group newGroup();

    /** Joins with raiseError (the other line of joiners) when true. */
    abstract boolean raiseError();

    @Override
    protected Map<Part, String> exemptions() {
        return Map.of(Part.HANDOVER, JOIN_EXEMPTION);
    }

    @Override
    protected void prepare() {
        finish = new Event();
        group = newGroup();
        members.clear();
        for (String name : List.of("a", "b")) {
            members.add(group.spawn(() -> {
                finish.await();
                return name;
            }));
        }
    }

    @Override
    protected Object waitFor(Duration timeout) {
        if (timeout == null && !raiseError()) {
            group.join();
            return Boolean.TRUE;
        }
        return group.join(timeout, raiseError());
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
        assertTrue(group.isEmpty(), "every member left the group as it died: " + group);
        for (Greenlet<?> m : members) {
            assertTrue(m.isSuccessful(), () -> m + " failed: " + m.exception());
        }
        assertEquals(List.of("a", "b"), members.stream().map(Greenlet::value).toList());
        assertTrue(group.join(Duration.ZERO), "joining an empty group returns at once");
        if (group instanceof Pool p) assertEquals(p.capacity(), p.freeCount(), "every slot is free again: " + p);
    }

    @Override
    protected String waitedFor() {
        return "join of " + group.getClass().getSimpleName() + "[";
    }
}
