package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link Links}, on a bare flag that can be set and cleared. */
class LinksTest {

    /** A waitable made of a flag and its links. */
    private static final class Flag implements Waitable {
        final Links links;
        boolean set;

        Flag(boolean waitersFirst) {
            links = waitersFirst ? Links.waitersFirst(this, Coop.hub()) : Links.waitersInTurn(this, Coop.hub());
        }

        @Override
        public boolean isReady() {
            return set;
        }

        @Override
        public void addReadyListener(Runnable listener) {
            links.add(listener);
        }

        @Override
        public void removeReadyListener(Runnable listener) {
            links.remove(listener);
        }

        void set() {
            set = true;
            links.ready();
        }

        Greenlet<?> waiter(List<String> log, String name) {
            return Coop.spawn(() -> {
                assertTrue(links.await(new Waiter<>("flag"), Hub.NO_DEADLINE));
                log.add(name);
            });
        }
    }

    @Test
    void linksRunInOrderOnceInOneRoundAndThoseAddedDuringItJoinIt() {
        Coop.run(() -> {
            Flag f = new Flag(true);
            List<String> log = new ArrayList<>();
            Runnable removed = () -> log.add("removed");
            f.addReadyListener(() -> log.add("a"));
            f.addReadyListener(removed);
            f.addReadyListener(() -> {
                log.add("b");
                f.addReadyListener(() -> log.add("added during the round"));
            });
            f.addReadyListener(removed);
            f.removeReadyListener(removed); // every link under that key
            long callbacks = callbacks();
            f.set();
            f.links.ready(); // ready again before the round ran: still one round
            assertEquals(List.of(), log, "links run in a hub callback, not inside set");
            Coop.sleep(0);
            assertEquals(List.of("a", "b", "added during the round"), log);
            assertEquals(callbacks + 2, callbacks(), "one round (and the sleep's own callback)");
            f.links.ready();
            Coop.sleep(0);
            assertEquals(3, log.size(), "each link runs once");
            return null;
        });
    }

    @Test
    void aLinkAddedWhileNotReadyWaitsForTheNextTime() {
        Coop.run(() -> {
            Flag f = new Flag(true);
            List<String> log = new ArrayList<>();
            f.addReadyListener(() -> log.add("first"));
            Runnable dropped = () -> log.add("removed while due");
            f.addReadyListener(dropped);
            f.set();
            f.set = false; // cleared before the round runs
            f.addReadyListener(() -> log.add("next time"));
            f.removeReadyListener(dropped);
            Coop.sleep(0);
            assertEquals(List.of("first"), log, "the round runs what was due when it was posted");
            f.set();
            Coop.sleep(0);
            assertEquals(List.of("first", "next time"), log);
            return null;
        });
    }

    @Test
    void aFailingLinkIsReportedAndTheOthersRun() {
        try (LogCapture logs = new LogCapture()) {
            Coop.run(() -> {
                Flag f = new Flag(true);
                List<String> log = new ArrayList<>();
                f.addReadyListener(() -> { throw new IllegalStateException("bad link"); });
                f.addReadyListener(() -> log.add("after"));
                f.set();
                Coop.sleep(0);
                assertEquals(List.of("after"), log);
                return null;
            });
            assertTrue(logs.snapshot().stream().anyMatch(r -> r.getMessage().contains("ready listener")
                    && r.getThrown() != null && "bad link".equals(r.getThrown().getMessage())), "reported");
        }
    }

    @Test
    void waitersFirstAreWokenAheadOfTheLinksWaitersInTurnInTheirTurn() {
        Coop.run(() -> {
            for (boolean waitersFirst : new boolean[] {true, false}) {
                Flag f = new Flag(waitersFirst);
                List<String> log = new ArrayList<>();
                f.addReadyListener(() -> log.add("link before"));
                Greenlet<?> w1 = f.waiter(log, "waiter 1");
                Greenlet<?> w2 = f.waiter(log, "waiter 2");
                Coop.sleep(0);
                f.addReadyListener(() -> log.add("link after"));
                assertEquals(waitersFirst ? 2 : 0, f.links.waiterCount());
                f.set();
                Coop.joinAll(List.of(w1, w2));
                Coop.sleep(0);
                assertEquals(waitersFirst
                        ? List.of("waiter 1", "waiter 2", "link before", "link after")
                        : List.of("link before", "link after", "waiter 1", "waiter 2"), log, "waitersFirst=" + waitersFirst);
            }
            return null;
        });
    }

    @Test
    void aWaiterThatGivesUpLeavesNoLinkBehind() {
        Coop.run(() -> {
            Flag f = new Flag(false);
            assertFalse(f.links.await(new Waiter<>("flag"), Coop.deadline(java.time.Duration.ofMillis(5), "timeout")));
            List<String> log = new ArrayList<>();
            f.addReadyListener(() -> log.add("only link"));
            long callbacks = callbacks();
            f.set();
            Coop.sleep(0);
            assertEquals(List.of("only link"), log);
            assertEquals(callbacks + 2, callbacks());
            return null;
        });
    }

    private static long callbacks() {
        String stats = Coop.hub().stats();
        int i = stats.indexOf("callbacks=") + "callbacks=".length();
        return Long.parseLong(stats.substring(i, stats.indexOf(',', i)));
    }
}
