package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/09-events.md. */
class EventExamplesTest {

    @Test
    void eventWaiters() throws Exception {
        Captured out = Captured.run(EventWaiters::main);
        List<String> expected = new ArrayList<>();
        expected.add("A: Hey wait for me, I have to do something");
        expected.addAll(Collections.nCopies(5, "I'll wait for you"));
        expected.add("Ok, I'm done");
        expected.addAll(Collections.nCopies(5, "It's about time"));
        assertEquals(expected, out.lines());
        Timing.within(out.at("I'll wait for you"), 0, 1000);
        Timing.within(out.at("Ok, I'm done"), 2950, 4500);
        Timing.within(out.at(11) - out.at("Ok, I'm done"), 0, 1000);   // all five woken at once
    }

    @Test
    void asyncResultWaiter() throws Exception {
        Captured out = Captured.run(AsyncResultWaiter::main);
        assertEquals(List.of("Hello!"), out.lines());
        Timing.within(out.at("Hello!"), 2950, 4500);
    }

    @Test
    void eventRingTakesTurns() throws Exception {
        Captured out = Captured.run(EventRing::main, "0.1");
        List<String> expected = new ArrayList<>(List.of("greenlet one started:", "greenlet two started:",
                "greenlet three started:", "all greenlets started!"));
        for (int i = 0; i < 10; i++) {
            expected.add("greenlet one: 111111111");
            expected.add("greenlet two: 222222222");
            expected.add("greenlet three: 333333333");
        }
        assertEquals(expected, out.lines());
        Timing.within(out.elapsedMillis(), 2950, 6000);   // 30 turns of 0.1 s, one at a time
    }

    @Test
    void eventRetryGivesUp() throws Exception {
        Captured out = Captured.run(EventRetry::main, "2");
        assertEquals(List.of(
                "<conn1> attempt 1 to connect", "<conn2> attempt 1 to connect", "[check] checking mysql",
                "<conn1> attempt 2 to connect", "<conn2> attempt 2 to connect",
                "<conn1> attempt 3 to connect", "<conn2> attempt 3 to connect",
                "conn1: java.util.concurrent.TimeoutException: connection timed out",
                "conn2: java.util.concurrent.TimeoutException: connection timed out"), out.lines());
        Timing.within(out.at("<conn1> attempt 2 to connect"), 450, 1200);
        Timing.within(out.at("<conn1> attempt 3 to connect"), 950, 2000);
    }

    @Test
    void eventRetryConnects() throws Exception {
        Captured out = Captured.run(EventRetry::main, "0.7");
        assertEquals(List.of(
                "<conn1> attempt 1 to connect", "<conn2> attempt 1 to connect", "[check] checking mysql",
                "<conn1> attempt 2 to connect", "<conn2> attempt 2 to connect",
                "<conn1> connected", "<conn2> connected",
                "conn1: connected", "conn2: connected"), out.lines());
        Timing.within(out.at("<conn1> connected"), 650, 1500);
    }
}
