package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/13-greenlet-local.md, docs/14-subprocess.md, docs/15-actors.md, docs/16-request-reply.md. */
class MoreExamplesTest {

    @Test
    void greenletLocal() throws Exception {
        assertEquals(List.of("1", "2", "x is not local to f2"), Captured.run(GreenletLocal::main).lines());
    }

    @Test
    void subprocessCron() throws Exception {
        Captured out = Captured.run(SubprocessCron::main);
        List<String> lines = out.lines();
        // cron every 0.2 s while "sleep 1; uname" runs: about five times
        long crons = lines.stream().filter("cron"::equals).count();
        assertTrue(crons >= 4 && crons <= 8, out.toString());
        assertEquals(crons + 1, lines.size(), out.toString());
        assertEquals("Linux", lines.get(lines.size() - 1));
        Timing.within(out.at("Linux"), 950, 3000);
    }

    @Test
    void pipeRelay() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) expected.add("hi in " + i);
        assertEquals(expected, Captured.run(PipeRelay::main).lines());
    }

    @Test
    void actors() throws Exception {
        assertEquals(List.of("start", "ping", "pong", "ping", "pong", "ping", "pong", "ping", "pong", "ping"),
                Captured.run(Actors::main).lines());
    }

    @Test
    void requestReply() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            expected.add("Switched to Server for " + i);
            expected.add("Switched to Client for " + i);
        }
        assertEquals(expected, Captured.run(RequestReply::main).lines());
    }
}
