package io.coop;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.sync.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Walks the state table at the top of {@link Greenlet}: each documented transition is made
 * through the public API and seen to happen, the table in the comment is the one the code
 * enforces, and what the table leaves out is refused.
 */
class GreenletStateTest {
    private final Set<String> seen = new LinkedHashSet<>();

    /** Runs {@code action} on {@code g}, checking the state before and after, and records the transition. */
    private void step(Greenlet<?> g, String from, String to, Runnable action) {
        assertEquals(from, g.stateName(), () -> "before " + from + " -> " + to + ": " + g);
        action.run();
        assertEquals(to, g.stateName(), () -> "after " + from + " -> " + to + ": " + g);
        seen.add(from + " -> " + to);
    }

    @Test
    void everyTransitionInTheTableHappensThroughTheApi() {
        List<String> ran = new ArrayList<>();
        Coop.run(() -> {
            assertEquals("STARTED", Coop.hub().mainGreenlet().stateName(), "the main greenlet runs from the moment it exists");

            // NEW -> STARTED -> DEAD
            Event release = new Event();
            Greenlet<String> g = new Greenlet<>(() -> { release.await(); return "done"; });
            assertFalse(g.isStarted());
            step(g, "NEW", "STARTED", g::start);
            assertTrue(g.isStarted());
            Coop.sleep(0); // it runs, and waits for release
            assertEquals("STARTED", g.stateName());
            assertFalse(g.isDead());
            step(g, "STARTED", "DEAD", () -> { release.set(); g.join(); });
            assertTrue(g.isDead() && g.isSuccessful() && !g.isCancelled());
            assertEquals("done", g.value());

            // NEW -> SCHEDULED -> STARTED (the timer fires) -> CANCELLING -> CANCELLED
            Event running = new Event();
            Greenlet<String> later = new Greenlet<>(() -> { running.set(); Coop.sleep(10_000); return "never"; });
            step(later, "NEW", "SCHEDULED", () -> later.startLater(Duration.ofMillis(5)));
            assertTrue(later.isStarted());
            assertTrue(Coop.hub().greenlets().contains(later), "a scheduled greenlet is live");
            step(later, "SCHEDULED", "STARTED", running::await);
            step(later, "STARTED", "CANCELLING", () -> assertTrue(later.cancel(true)));
            assertTrue(later.isCancelled());
            assertFalse(later.isDead(), "a cancelled greenlet runs to its end");
            step(later, "CANCELLING", "CANCELLED", later::join);
            assertTrue(later.isDead() && later.isCancelled());
            assertInstanceOf(GreenletExit.class, later.value());

            // NEW -> DEAD, NEW -> CANCELLED: killed or cancelled before the start, they never run
            Greenlet<?> killed = new Greenlet<>(() -> ran.add("killed"));
            step(killed, "NEW", "DEAD", killed::kill);
            assertTrue(killed.isSuccessful(), "a kill by GreenletExit counts as success");
            Greenlet<?> failed = new Greenlet<>(() -> ran.add("failed"));
            step(failed, "NEW", "DEAD", () -> failed.kill(new IllegalStateException("no"), false, null));
            assertInstanceOf(IllegalStateException.class, failed.exception());
            Greenlet<?> cancelled = new Greenlet<>(() -> ran.add("cancelled"));
            step(cancelled, "NEW", "CANCELLED", () -> assertTrue(cancelled.cancel(false)));

            // SCHEDULED -> DEAD, SCHEDULED -> CANCELLED: the start timer is cancelled, they never run
            Greenlet<?> killedLater = new Greenlet<>(() -> ran.add("killedLater"));
            killedLater.startLater(Duration.ofMillis(1));
            step(killedLater, "SCHEDULED", "DEAD", killedLater::kill);
            Greenlet<?> cancelledLater = new Greenlet<>(() -> ran.add("cancelledLater"));
            cancelledLater.startLater(Duration.ofMillis(1));
            step(cancelledLater, "SCHEDULED", "CANCELLED", () -> cancelledLater.cancel(true));
            assertFalse(Coop.hub().greenlets().contains(killedLater));
            assertFalse(Coop.hub().greenlets().contains(cancelledLater));
            Coop.sleep(20); // past the timers they had
            for (Greenlet<?> x : List.of(killed, failed, cancelled, killedLater, cancelledLater)) assertTrue(x.isDead(), x::toString);
            return null;
        });
        assertEquals(List.of(), ran, "a greenlet ended before its start never runs");
        assertEquals(documented(), seen, "every transition of the table happened, and only those");
    }

    /** The transitions in the comment at the top of Greenlet.java, checked against the table the code enforces. */
    private static Set<String> documented() {
        Set<String> doc = new LinkedHashSet<>();
        try {
            Matcher m = Pattern.compile("(?m)^\\s*\\*\\s+([A-Z]+) -> ([A-Z]+)\\s{2,}\\S")
                    .matcher(Files.readString(Path.of("src/main/java/io/coop/Greenlet.java")));
            while (m.find()) doc.add(m.group(1) + " -> " + m.group(2));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Set<String> code = new LinkedHashSet<>();
        for (int from = 0; from < Greenlet.STATE_NAMES.length; from++) {
            for (int to = 0; to < Greenlet.STATE_NAMES.length; to++) {
                if (Greenlet.allows(from, to)) code.add(Greenlet.STATE_NAMES[from] + " -> " + Greenlet.STATE_NAMES[to]);
            }
        }
        assertEquals(code, doc, "the table in the comment is the table in the code");
        assertEquals(10, doc.size(), doc::toString);
        return doc;
    }

    @Test
    void whatTheTableLeavesOutIsRefused() {
        Coop.run(() -> {
            // through the API: calls that would leave the table are documented no-ops or errors
            Greenlet<String> g = Coop.spawn(() -> "x");
            g.join();
            assertSame(g, g.start(), "start() of a dead greenlet does nothing");
            assertSame(g, g.startLater(Duration.ofMillis(1)));
            g.kill();
            assertFalse(g.cancel(true), "a dead greenlet cannot be cancelled");
            assertEquals("DEAD", g.stateName());
            assertEquals("x", g.value());

            Greenlet<?> running = Coop.spawn(() -> Coop.sleep(10_000));
            assertSame(running, running.startLater(Duration.ofSeconds(1)), "startLater() of a started greenlet does nothing");
            assertEquals("STARTED", running.stateName());
            assertTrue(running.cancel(true));
            assertTrue(running.cancel(true), "cancelling again throws GreenletExit in again; the state stays");
            assertEquals("CANCELLING", running.stateName());
            running.join();

            Greenlet<?> never = new Greenlet<>(() -> 1);
            IllegalStateException notStarted = assertThrows(IllegalStateException.class, never::join);
            assertTrue(notStarted.getMessage().contains("never started"), notStarted.getMessage());
            assertEquals("NEW", never.stateName());

            // the one transition method refuses whatever the table does not have, naming both states
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> g.moveTo(Greenlet.STARTED));
            assertTrue(refused.getMessage().contains("cannot go from DEAD to STARTED"), refused.getMessage());
            assertEquals("DEAD", g.stateName(), "a refused transition changes nothing");
            assertThrows(IllegalStateException.class, () -> never.moveTo(Greenlet.CANCELLING));
            assertThrows(IllegalStateException.class, () -> Coop.hub().mainGreenlet().moveTo(Greenlet.SCHEDULED));
            return null;
        });
    }

    @Test
    void toStringShowsEachState() {
        Coop.run(() -> {
            Greenlet<?> g = new Greenlet<>(() -> { Coop.sleep(10_000); return null; });
            assertTrue(g.toString().contains("not started"), g::toString);
            g.startLater(Duration.ofSeconds(10));
            assertTrue(g.toString().contains("scheduled to start later"), g::toString);
            g.cancel(true);
            assertTrue(g.toString().contains("cancelled"), g::toString);
            Greenlet<?> h = Coop.spawn(() -> Coop.sleep(10_000));
            Coop.sleep(0);
            assertTrue(h.toString().contains("waiting for sleep"), h::toString);
            h.kill();
            assertTrue(h.toString().contains("dead, successful"), h::toString);
            return null;
        });
    }
}
