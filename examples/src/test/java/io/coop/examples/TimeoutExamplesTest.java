package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/07-timeouts.md. */
class TimeoutExamplesTest {

    @Test
    void timeoutStart() throws Exception {
        Captured out = Captured.run(TimeoutStart::main);
        assertEquals(List.of("Could not complete"), out.lines());
        Timing.within(out.at("Could not complete"), 1950, 3500);
    }

    @Test
    void timeoutBlock() throws Exception {
        Captured out = Captured.run(TimeoutBlock::main);
        assertEquals(List.of("Timeout: timed out after 1 s", "TooLong: too long"), out.lines());
        Timing.within(out.at(0), 950, 2000);
        Timing.within(out.at(1), 1950, 3500);
    }

    @Test
    void timeoutOnCalls() throws Exception {
        Captured out = Captured.run(TimeoutOnCalls::main);
        assertEquals(List.of("Thread 1 timed out", "Thread 2 timed out", "Thread 3 timed out"), out.lines());
        Timing.within(out.at(0), 950, 2000);
        Timing.within(out.at(1), 1950, 3500);
        Timing.within(out.at(2), 2950, 5000);
    }
}
