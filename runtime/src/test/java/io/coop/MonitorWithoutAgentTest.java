package io.coop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocking monitor with the runtime alone ({@code Coop.run}, no agent): off unless
 * {@code coop.monitor=true}, which starts it with the first hub. Each case in a JVM of its own:
 * a greenlet computes for 600 ms while another one waits.
 */
class MonitorWithoutAgentTest {

    /** The program: after its start-up, one greenlet computing 600 ms beside a sleeping one. */
    public static void main(String[] args) {
        Coop.run(() -> {
            Coop.sleep(300); // start-up class loading is over: the monitor excuses holds while classes load
            Greenlet<?> sleeper = Coop.spawn(() -> Coop.sleep(50));
            Greenlet<?> cruncher = Coop.spawn(() -> {
                long end = System.nanoTime() + 600_000_000L, x = 0;
                while (System.nanoTime() < end) x++;
                return x;
            }).setName("cruncher");
            Coop.joinAll(List.of(sleeper, cruncher));
            Coop.sleep(150); // the monitor notices the hold's end
            return null;
        });
    }

    private static String run(String... props) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(props));
        cmd.add(MonitorWithoutAgentTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void onRequestItReportsTheComputingGreenlet() throws Exception {
        String out = run("-Dcoop.monitor=true");
        assertTrue(out.contains("has been blocked for"), out);
        assertTrue(out.contains("by greenlet \"cruncher\""), out);
    }

    @Test
    void offByDefault() throws Exception {
        String out = run();
        assertFalse(out.contains("has been blocked"), out);
    }
}
