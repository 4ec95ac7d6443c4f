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
 * requests that each create an HTTP session and wait 200 ms, and stops. The same program without
 * the agent gives the figures to compare.
 */
class TomcatIT {
    private static final int REQUESTS = 100;

    @Test
    void startsServesHundredSessionRequestsOnOneOsThreadAndStops() throws Exception {
        System.out.println("[coop-it] TomcatIT: embedded Tomcat and its clients in one program");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(45)).run("apps.TomcatApp", String.valueOf(REQUESTS), "200"), "apps.TomcatApp");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("right"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("newSessions"), () -> "every request created a session; " + r);
        assertEquals(String.valueOf(REQUESTS), r.field("distinctSessions"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("activeSessions"), () -> "Tomcat's manager holds every session; " + r);
        assertEquals("none", r.field("tomcatOsThreads"), () -> "Tomcat's acceptor, poller and workers run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        Apps.assertMonitorQuiet(r);
        Apps.assertWithin(r, "startMs", 0, 10_000, "Tomcat starts (SecureRandom seeded in a class initializer)");
        // serial: 100 x 0.2 s = 20 s
        Apps.assertWithin(r, "requestsMs", 195, 5000, "100 requests that wait 200 ms overlap");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "Tomcat stops");
    }

    @Test
    void theSameProgramWithoutTheAgent() throws Exception {
        Jvm.Run r = Apps.check(Apps.plain().timeout(Duration.ofSeconds(45)).run("apps.TomcatApp", String.valueOf(REQUESTS), "200"), "apps.TomcatApp (no agent)");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("right"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("activeSessions"), r::toString);
        assertTrue(r.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + r);
        Apps.assertWithin(r, "requestsMs", 195, 5000, "100 requests that wait 200 ms overlap on Tomcat's worker threads");
    }
}
