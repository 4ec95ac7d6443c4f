package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/08-monkey-patching.md: what works without the agent. */
class MonkeyPatchingExamplesTest {

    @Test
    void threadSleepInGreenlets() throws Exception {
        Captured out = Captured.run(ThreadSleepInGreenlets::main);
        assertEquals(List.of("eat food 1 (eat)", "play 1 (play)", "play 2", "eat food 2", "main"), out.lines());
        Timing.within(out.at("play 2"), 950, 2000);
        Timing.within(out.at("eat food 2"), 1950, 3500);   // overlapped: 2 s, not 3 s
    }

    @Test
    void resolveHosts() throws Exception {
        Captured out = Captured.run(ResolveHosts::main);
        assertEquals(List.of("[127.0.0.1, 127.0.0.1, 127.0.0.1]"), out.lines());   // localhost, this host's name, a literal
    }
}
