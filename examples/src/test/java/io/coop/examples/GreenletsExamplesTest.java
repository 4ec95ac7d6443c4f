package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/01-greenlets.md: coroutines, switching, sleeping. */
class GreenletsExamplesTest {

    @Test
    void yieldProducerConsumer() throws Exception {
        Captured out = Captured.run(YieldProducerConsumer::main);
        List<String> expected = new ArrayList<>(List.of("--->starting eating baozi...", "--->starting eating baozi..."));
        for (int n = 1; n <= 5; n++) {
            expected.add("[c1] is eating baozi " + n);
            expected.add("[c2] is eating baozi " + n);
            expected.add("[producer] is making baozi " + n);
        }
        assertEquals(expected, out.lines());
    }

    @Test
    void greenletSwitch() throws Exception {
        assertEquals(List.of("12", "56", "34", "78"), Captured.run(GreenletSwitch::main).lines());
    }

    @Test
    void sleepInterleaving() throws Exception {
        Captured out = Captured.run(SleepInterleaving::main);
        assertEquals(List.of("func1 running", "func2 running", "func3 running", "func3 done..", "switch func2", "switch func1"),
                out.lines());
        Timing.within(out.at("func3 running"), 0, 1000);   // includes the first hub's start; one at a time: 3 s
        Timing.within(out.at("func3 done.."), 450, 1500);
        Timing.within(out.at("switch func2"), 950, 2000);
        Timing.within(out.at("switch func1"), 1950, 3500);   // concurrent: 2 s, not 3.5 s
    }

    @Test
    void eatPlay() throws Exception {
        Captured out = Captured.run(EatPlay::main);
        assertEquals(List.of("egon eat 1", "egon play 1", "egon play 2", "egon eat 2", "main"), out.lines());
        Timing.within(out.at("egon play 2"), 950, 2000);
        Timing.within(out.at("egon eat 2"), 1950, 3500);
    }

    @Test
    void foreverLoopsForTwoAndAHalfSeconds() throws Exception {
        Captured out = Captured.run(ForeverLoops::main, "2.25");
        long a = out.lines().stream().filter("-------A-------"::equals).count();
        long b = out.lines().stream().filter("-------B-------"::equals).count();
        assertEquals(out.lines().size(), a + b, out.toString());
        // A at 0, 1, 2 s; B at 0, 0.5, 1, 1.5, 2 s: a slow machine may lose the last of each
        assertTrue(a >= 2 && a <= 3, out.toString());
        assertTrue(b >= 4 && b <= 5, out.toString());
        assertEquals("-------A-------", out.lines().get(0));
        assertEquals("-------B-------", out.lines().get(1));
        assertEquals("-------B-------", out.lines().get(2));
        Timing.within(out.elapsedMillis(), 2200, 4000);
    }

    @Test
    void switchCost() throws Exception {
        Captured out = Captured.run(SwitchCost::main, "20000");
        assertEquals(2, out.lines().size(), out.toString());
        assertTrue(out.lines().get(0).startsWith("sequential: run time is "), out.toString());
        assertTrue(out.lines().get(1).startsWith("switching:  run time is ") && out.lines().get(1).endsWith("(40000 switches)"),
                out.toString());
    }
}
