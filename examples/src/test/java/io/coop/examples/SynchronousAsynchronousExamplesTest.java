package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/02-synchronous-asynchronous.md. */
class SynchronousAsynchronousExamplesTest {

    @Test
    void explicitSwitch() throws Exception {
        assertEquals(List.of("Running in foo", "Explicit context to bar", "Explicit context switch to foo again",
                "Implicit context switch back to bar"), Captured.run(ExplicitSwitch::main).lines());
    }

    @Test
    void synchronousAsynchronous() throws Exception {
        List<String> lines = Captured.run(SynchronousAsynchronous::main).lines();
        List<String> sync = new ArrayList<>();
        for (int i = 1; i < 10; i++) sync.add("Task " + i + " done");
        assertEquals("Synchronous:", lines.get(0));
        assertEquals(sync, lines.subList(1, 10));
        assertEquals("Asynchronous:", lines.get(10));
        List<String> async = new ArrayList<>(lines.subList(11, lines.size()));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) all.add("Task " + i + " done");
        assertEquals(10, async.size(), lines.toString());
        assertTrue(async.containsAll(all), lines.toString());   // every task, in the order their waits ended
    }

    @Test
    void sleepingTasks() throws Exception {
        Captured out = Captured.run(SleepingTasks::main);
        List<String> expected = new ArrayList<>(List.of("Synchronous:"));
        for (int i = 1; i < 10; i++) expected.add("Task " + i + " done");
        expected.add("Asynchronous:");
        for (int i = 0; i < 10; i++) expected.add("Task " + i + " done");   // same wait: start order
        assertEquals(expected, out.lines());
        long asyncStart = out.at("Asynchronous:");
        Timing.within(asyncStart, 4450, 7000);                                 // 9 x 0.5 s
        Timing.within(out.at(20) - asyncStart, 450, 1500);                     // 10 at once: 0.5 s
    }

    @Test
    void selectPolling() throws Exception {
        Captured out = Captured.run(SelectPolling::main);
        List<String> lines = out.lines();
        assertEquals(5, lines.size(), out.toString());
        assertTrue(lines.get(0).matches("Started Polling: at 0\\.[0-4] seconds"), out.toString());
        assertTrue(lines.get(1).matches("Started Polling: at 0\\.[0-4] seconds"), out.toString());
        assertTrue(lines.get(2).matches("Hey lets do some stuff while the greenlets poll, at 0\\.[0-4] seconds"), out.toString());
        assertTrue(lines.get(3).matches("Ended Polling: at [23]\\.\\d seconds"), out.toString());
        assertTrue(lines.get(4).matches("Ended Polling: at [23]\\.\\d seconds"), out.toString());
        Timing.within(out.at(3) - out.at(0), 1950, 3000);   // polled 2 s, both at once
    }

    @Test
    void fetchJsonTime() throws Exception {
        checkFetchJsonTime(Captured.run(FetchJsonTime::main).lines());
    }

    static void checkFetchJsonTime(List<String> lines) {
        assertEquals(20, lines.size(), lines.toString());
        assertEquals("Synchronous:", lines.get(0));
        assertEquals("Asynchronous:", lines.get(10));
        String time = ": \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        for (int i = 1; i < 10; i++) assertTrue(lines.get(i).matches("Process " + i + time), lines.get(i));
        List<String> pids = new ArrayList<>();
        for (String l : lines.subList(11, 20)) {
            assertTrue(l.matches("Process \\d" + time), l);
            pids.add(l.substring(0, "Process 1".length()));
        }
        assertEquals(List.of("Process 1", "Process 2", "Process 3", "Process 4", "Process 5", "Process 6", "Process 7",
                "Process 8", "Process 9"), pids.stream().sorted().toList());   // each once, in the order answered
    }
}
