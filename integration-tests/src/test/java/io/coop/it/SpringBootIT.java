package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot 4 web application (Spring MVC on the embedded Tomcat) under
 * {@code -javaagent:coop.jar} with every area patched: it starts, answers its first request,
 * which creates the first HTTP session (Tomcat seeds its session id generator's SecureRandom
 * then, in a class initializer on a request thread), then 50 overlapping requests that each
 * create a session and wait 200 ms, and closes.
 */
class SpringBootIT {
    private static final int REQUESTS = 50;

    @Test
    void startsFirstSessionThenFiftyOverlappingRequestsOnOneOsThread() throws Exception {
        System.out.println("[coop-it] SpringBootIT: a Spring Boot application and its clients in one program");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(45)).run("apps.boot.SpringBootApp", String.valueOf(REQUESTS), "200"),
                "apps.boot.SpringBootApp");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("true", r.field("first"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("right"), r::toString);
        assertEquals(String.valueOf(REQUESTS + 1), r.field("distinctSessions"), () -> "every request created a session of its own; " + r);
        assertEquals("none", r.field("tomcatOsThreads"), () -> "Tomcat's threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        Apps.assertMonitorQuiet(r);
        Apps.assertWithin(r, "startMs", 0, 15_000, "Spring Boot starts");
        Apps.assertWithin(r, "firstMs", 195, 5000, "the first request, which seeds the session SecureRandom");
        // serial: 50 x 0.2 s = 10 s
        Apps.assertWithin(r, "requestsMs", 195, 4000, "50 requests that wait 200 ms overlap");
        Apps.assertWithin(r, "closeMs", 0, 10_000, "the application closes");
    }
}
