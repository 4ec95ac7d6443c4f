package io.coop.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.coop.junit.races.ArrivalOrderDemo;
import io.coop.junit.races.CheckThenActDemo;
import io.coop.junit.races.LostUpdateDemo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The demonstrations, run as a user's build would run them, and what the reports say. */
class RaceSearchIT {
    private static Events run(Class<?> demo, String method) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(demo, method)).execute().testEvents();
    }

    /** First in first out passes; 100 seeds find the failure; the failing seed replays it 10 times out of 10. */
    private static void search(Class<?> demo, java.util.concurrent.Callable<?> scenario, Object expected) throws Exception {
        Events fifo = run(demo, "firstInFirstOut");
        assertEquals(1, fifo.succeeded().count(), demo.getSimpleName() + ": first in first out passes");
        Events seeded = run(demo, "seeded");
        assertEquals(100, seeded.finished().count());
        List<Event> failed = seeded.failed().list();
        assertTrue(!failed.isEmpty(), demo.getSimpleName() + ": 100 seeds find the failure");
        String message = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        System.out.println(demo.getSimpleName() + ": " + failed.size() + " of 100 seeds fail; the first report says:\n" + message);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("replay it: @CoopTest\\(seed = (\\d+)\\)").matcher(message);
        assertTrue(m.find(), message);
        long seed = Long.parseLong(m.group(1));
        java.util.regex.Matcher t = java.util.regex.Pattern.compile("trace of this run: (\\S+)").matcher(message);
        assertTrue(t.find() && java.nio.file.Files.size(java.nio.file.Path.of(t.group(1))) > 0, "the trace is kept: " + message);
        for (int i = 0; i < 10; i++) {
            Object got = io.coop.Coop.run(io.coop.Schedule.seeded(seed), scenario);
            assertTrue(!expected.equals(got), "replay " + i + " of seed " + seed + " fails again (got " + got + ")");
        }
    }

    @Test
    void lostUpdateAroundASleep() throws Exception {
        search(LostUpdateDemo.class, LostUpdateDemo::twoDeposits, 15);
    }

    @Test
    void pctFindsTheLostUpdateToo() {
        Events pct = run(LostUpdateDemo.class, "pct");
        assertEquals(100, pct.finished().count());
        long failed = pct.failed().count();
        System.out.println("LostUpdateDemo under PCT: " + failed + " of 100 seeds fail");
        assertTrue(failed > 0, "PCT finds the lost update within 100 seeds");
        String message = pct.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.contains("strategy = Schedule.Strategy.PCT"), "the replay names the strategy: " + message);
    }

    @Test
    void checkThenActAcrossASocketRoundTrip() throws Exception {
        search(CheckThenActDemo.class, CheckThenActDemo::fetchesForOneItem, 1);
    }

    @Test
    void orderAssumptionBetweenRequests() throws Exception {
        search(ArrivalOrderDemo.class, ArrivalOrderDemo::firstToArrive, "hello 0");
    }
}
