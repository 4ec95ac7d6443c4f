package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot 4 web application (Spring MVC on the embedded Tomcat) under
 * {@code -javaagent:coop.jar} with every area patched: it starts, answers its first request,
 * which creates the first HTTP session (Tomcat seeds its session id generator's SecureRandom
 * then, in a class initializer on a request thread), then 50 overlapping requests that each
 * create a session and wait 200 ms, then a throughput round, and closes; the same program
 * without the agent answers the same.
 */
class SpringBootIT {
    private static final int REQUESTS = 50;

    @Test
    void startsFirstSessionThenFiftyOverlappingRequestsOnOneOsThread() throws Exception {
        System.out.println("[coop-it] SpringBootIT: a Spring Boot application and its clients in one program");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.boot.SpringBootApp", String.valueOf(REQUESTS), "200"),
                "apps.boot.SpringBootApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.boot.SpringBootApp", String.valueOf(REQUESTS), "200"),
                "apps.boot.SpringBootApp (no agent)");
        Apps.printFigures("Spring Boot web", r, plain, "startMs", "requestsMs", "requestsPerSecond", "osThreads", "processOsThreads", "closeMs");
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals("true", run.field("first"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("right"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("ok"), run::toString);
            assertEquals(String.valueOf(REQUESTS + 1), run.field("distinctSessions"), () -> "every request created a session of its own; " + run);
            assertTrue(run.number("requestsPerSecond") > 0, () -> "the throughput round got the right answers; " + run);
        }
        Apps.assertSameResponses(r, plain);
        assertEquals("none", r.field("tomcatOsThreads"), () -> "Tomcat's threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        Apps.assertMonitorQuiet(r);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        Apps.assertWithin(r, "startMs", 0, 15_000, "Spring Boot starts");
        Apps.assertWithin(r, "firstMs", 195, 5000, "the first request, which seeds the session SecureRandom");
        // serial: 50 x 0.2 s = 10 s
        Apps.assertWithin(r, "requestsMs", 195, 4000, "50 requests that wait 200 ms overlap");
        Apps.assertWithin(r, "closeMs", 0, 10_000, "the application closes");
    }
}
