package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The agent's start-up cost: a hello-world JVM with and without {@code -javaagent:coop.jar},
 * launched alternately so that load on the machine hits both alike; prints the figures that go
 * into docs/benchmarks.md. The assertion only catches gross regressions (the target, +300 ms,
 * is for a quiet machine; see the docs for the measured figure).
 */
class StartupCostIT {

    @Test
    void helloWorldWithAndWithoutTheAgent() throws Exception {
        int runs = Integer.getInteger("coop.startupRuns", 9);
        List<Long> plain = new ArrayList<>(), agent = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Jvm.Run p = Jvm.plain().run("testapps.HelloApp");
            Jvm.Run a = Jvm.agent().withoutJdkVerification().run("testapps.HelloApp");
            assertEquals(0, a.exit(), a::toString);
            assertEquals("hello\n", a.out(), a::toString);
            plain.add(p.wallMs());
            agent.add(a.wallMs());
        }
        Collections.sort(plain);
        Collections.sort(agent);
        long plainMin = plain.get(0), agentMin = agent.get(0);
        long plainMedian = plain.get(runs / 2), agentMedian = agent.get(runs / 2);
        System.out.println("coop start-up, hello world, " + runs + " runs each: without agent min " + plainMin + " ms, median "
                + plainMedian + " ms; with -javaagent:coop.jar min " + agentMin + " ms, median " + agentMedian
                + " ms; cost (min) +" + (agentMin - plainMin) + " ms, (median) +" + (agentMedian - plainMedian) + " ms");
        assertTrue(agentMin - plainMin < 1500, "the agent's start-up cost regressed badly: " + agent + " vs " + plain);
    }
}
