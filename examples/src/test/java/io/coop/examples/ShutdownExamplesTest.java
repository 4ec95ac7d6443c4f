package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/06-program-shutdown.md: SIGTERM to a JVM of its own. */
class ShutdownExamplesTest {

    @Test
    void sigtermStopsTheHubCleanly() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"),
                ShutdownOnSignal.class.getName())) {
            assertTrue(jvm.awaitLine("running as pid " + jvm.process.pid(), 30_000), jvm.stderr());
            long t0 = System.nanoTime();
            jvm.process.toHandle().destroy();                // SIGTERM (Process.destroy would also close our pipes)
            int exit = jvm.waitFor(30);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(List.of(
                    "running as pid " + jvm.process.pid() + "; stop with kill -TERM or Ctrl-C",
                    "signal: stopping the hub",
                    "run_forever ended: io.coop.GreenletExit: shutdown",
                    "hub stopped cleanly"), jvm.stdout(), "exit " + exit + ", stderr: " + jvm.stderr());
            assertEquals(143, exit);                         // 128 + SIGTERM: the JVM's exit on a signal
            Timing.within(ms, 0, 5000);                      // not the 1000 s sleep, nor the hook's 5 s limit
        }
    }
}
