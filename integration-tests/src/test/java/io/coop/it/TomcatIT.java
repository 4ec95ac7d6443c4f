package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat 11 in an unmodified program under {@code -javaagent:coop.jar} with every area
 * patched: it starts (its session manager seeds a SecureRandom from the OS while the context
 * starts, inside a class initializer, where a greenlet cannot unmount), serves 100 overlapping
 * requests that each create an HTTP session and wait 200 ms, then a throughput round, and stops.
 * The same program without the agent answers the same and gives the figures to compare.
 */
class TomcatIT {
    private static final int REQUESTS = 100;

    @Test
    void startsServesHundredSessionRequestsOnOneOsThreadAndStops() throws Exception {
        System.out.println("[coop-it] TomcatIT: embedded Tomcat and its clients in one program");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.TomcatApp", String.valueOf(REQUESTS), "200"), "apps.TomcatApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.TomcatApp", String.valueOf(REQUESTS), "200"),
                "apps.TomcatApp (no agent)");
        Apps.printFigures("Tomcat", r, plain);
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("right"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("ok"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("newSessions"), () -> "every request created a session; " + run);
            assertEquals(String.valueOf(REQUESTS), run.field("distinctSessions"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("activeSessions"), () -> "Tomcat's manager holds every session; " + run);
            assertTrue(run.number("requestsPerSecond") > 0, () -> "the throughput round got the right answers; " + run);
            // serial: 100 x 0.2 s = 20 s
            Apps.assertWithin(run, "requestsMs", 195, 5000, "100 requests that wait 200 ms overlap");
        }
        Apps.assertSameResponses(r, plain);
        assertEquals("none", r.field("tomcatOsThreads"), () -> "Tomcat's acceptor, poller and workers run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        Apps.assertMonitorQuiet(r);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        Apps.assertWithin(r, "startMs", 0, 10_000, "Tomcat starts (SecureRandom seeded in a class initializer)");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "Tomcat stops");
    }
}
