package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.sync.Event;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waits of groups and pools under the wait contract: {@link Group#join} (this class, and
 * nested: with raiseError, and a {@link Pool}'s join), then a {@link Pool}'s wait for a free slot
 * in {@code spawn}/{@code add} and in {@code waitAvailable}.
 *
 * <p>A join keeps the timeout half and LOOP_EXIT, not HANDOVER: the members die by running, in a
 * later hub pass than {@code release()}, and a joiner is handed nothing that could be lost. The
 * slot waits keep all three parts: {@code discard} hands the freed slot over inside the call.
 */
class GroupWaitContractTest extends GroupJoinContract {
    @Override
    Group newGroup() {
        return new Group();
    }

    @Override
    boolean raiseError() {
        return false;
    }

    /** Group.join(timeout, true): the joiners that want failures, in their own line. */
    @Nested
    class RaisingJoin extends GroupJoinContract {
        @Override
        Group newGroup() {
            return new Group();
        }

        @Override
        boolean raiseError() {
            return true;
        }
    }

    /** Pool.join: a pool is quiet when no slot is taken (members, or slots handed to waking spawners). */
    @Nested
    class PoolJoin extends GroupJoinContract {
        @Override
        Group newGroup() {
            return new Pool(2);
        }

        @Override
        boolean raiseError() {
            return false;
        }
    }

    // ---------------------------------------------------------------- a Pool's wait for a free slot

    /**
     * A full Pool's {@code spawn} (no timeout) and {@code add(greenlet, timeout)}: release discards
     * the member that fills the pool, which hands its slot to the first waiter inside the call.
     * Consistent: only the greenlets let in are members and were started, and no slot leaked.
     */
    @Nested
    class PoolSlot extends AbstractWaitContractTest {
        private Event finish;
        private Pool pool;
        private Greenlet<?> filler;
        /** The greenlets that asked for a slot (add with a timeout), in order, and those spawned without one. */
        private final List<Greenlet<?>> asked = new ArrayList<>();
        private final List<Greenlet<?>> admitted = new ArrayList<>();

        @Override
        protected void prepare() {
            finish = new Event();
            pool = new Pool(1);
            filler = pool.spawn(() -> finish.await());
            assertTrue(pool.isFull());
        }

        @Override
        protected Object waitFor(Duration timeout) {
            if (timeout == null) {
                admitted.add(pool.spawn(() -> finish.await()));
                return Boolean.TRUE;
            }
            Greenlet<Boolean> g = new Greenlet<>(() -> finish.await());
            asked.add(g);
            boolean in = pool.add(g, timeout);
            if (in) {
                g.start();
                admitted.add(g);
            }
            return in;
        }

        @Override
        protected Class<? extends RuntimeException> ownTimeout() {
            return null;
        }

        @Override
        protected Object release() {
            assertTrue(pool.discard(filler), "the filler was a member");
            return Boolean.TRUE;
        }

        @Override
        protected void assertConsistent() {
            assertEquals(1, admitted.size(), "exactly one waiter got the one slot freed: " + admitted);
            Greenlet<?> in = admitted.get(0);
            assertEquals(List.of(in), pool.greenlets(), "the pool holds just the greenlet let in");
            assertTrue(in.isStarted());
            for (Greenlet<?> g : asked) {
                if (g != in) assertFalse(g.isStarted() || pool.contains(g), "a greenlet whose add gave up got in: " + g);
            }
            assertEquals(0, pool.freeCount(), "the slot went to the greenlet let in: " + pool);
            finish.set();
            assertTrue(pool.join(Duration.ofSeconds(5)), "the members end once the Event is set: " + pool);
            assertEquals(1, pool.freeCount(), "no slot leaked to a waiter that gave up or was killed: " + pool);
            assertFalse(pool.isFull());
        }

        @Override
        protected String waitedFor() {
            return "a free slot in Pool[";
        }

        @Test
        void freedSlotsGoToTheWaitingSpawnersInTheOrderTheyCame() {
            inHub(() -> {
                prepare();
                List<String> order = new ArrayList<>();
                List<Greenlet<?>> spawners = new ArrayList<>();
                for (String name : List.of("first", "second")) {
                    spawners.add(spawnRecorded(() -> {
                        pool.spawn(() -> finish.await());
                        order.add(name);
                        return null;
                    }));
                }
                Coop.sleep(0);
                assertEquals(List.of(), order, "both spawners wait for the full pool");
                release(); // one slot: to the first
                Coop.sleep(0);
                assertEquals(List.of("first"), order);
                assertTrue(pool.waitAvailable(Duration.ZERO) == 0, "the slot was taken by the first spawner: " + pool);
                Greenlet<?> firstIn = pool.greenlets().get(0);
                assertTrue(pool.discard(firstIn)); // the next slot: to the second
                Coop.sleep(0);
                assertEquals(List.of("first", "second"), order);
                Coop.joinAll(spawners);
                finish.set();
                assertTrue(pool.join(Duration.ofSeconds(5)));
                assertEquals(1, pool.freeCount());
            });
        }
    }

    /**
     * A full Pool's {@code waitAvailable}: release discards the member that fills the pool; the
     * waiter returns the free count (1). Nobody takes the slot, so every such waiter is woken.
     */
    @Nested
    class PoolWaitAvailable extends AbstractWaitContractTest {
        private Event finish;
        private Pool pool;
        private Greenlet<?> filler;

        @Override
        protected void prepare() {
            finish = new Event();
            pool = new Pool(1);
            filler = pool.spawn(() -> finish.await());
        }

        @Override
        protected Object waitFor(Duration timeout) {
            int free = timeout == null ? pool.waitAvailable() : pool.waitAvailable(timeout);
            return free == 0 ? Boolean.FALSE : (Object) free;
        }

        @Override
        protected Class<? extends RuntimeException> ownTimeout() {
            return null;
        }

        @Override
        protected Object release() {
            assertTrue(pool.discard(filler));
            return 1;
        }

        @Override
        protected void assertConsistent() {
            assertTrue(pool.isEmpty(), pool.toString());
            assertEquals(1, pool.freeCount(), "waiting for a slot takes none: " + pool);
            assertEquals(1, pool.waitAvailable(Duration.ZERO));
            finish.set();
            assertTrue(filler.join(Duration.ofSeconds(5)));
        }

        @Override
        protected String waitedFor() {
            return "a free slot in Pool[";
        }
    }
}
