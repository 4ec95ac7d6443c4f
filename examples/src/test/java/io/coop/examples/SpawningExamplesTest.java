package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/04-spawning-greenlets.md and docs/05-greenlet-state.md. */
class SpawningExamplesTest {

    @Test
    void spawningGreenlets() throws Exception {
        Captured out = Captured.run(SpawningGreenlets::main);
        assertEquals(List.of("Hello", "I live!"), out.lines());
        Timing.within(out.at("Hello"), 950, 2000);
        Timing.within(out.at("I live!"), 1950, 3500);
    }

    @Test
    void subclassingGreenlet() throws Exception {
        Captured out = Captured.run(SubclassingGreenlet::main);
        assertEquals(List.of("Hi there!"), out.lines());
        Timing.within(out.elapsedMillis(), 2950, 5000);
    }

    @Test
    void greenletStates() throws Exception {
        assertEquals(List.of("true", "true", "You win!", "null", "true", "true", "true", "false",
                "java.lang.Exception: You fail at failing."), Captured.run(GreenletStates::main).lines());
    }
}
