package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real servers, unmodified, under {@code -javaagent:coop.jar=hubs=2} with every area patched:
 * their acceptor, selector and pool threads are spread over two hubs and talk across them
 * through the JDK's own queues, locks and selectors. Each answers 100 overlapping slow requests
 * and a throughput round exactly as it does without the agent, its application code running on
 * two OS threads.
 */
class HubsServersIT {
    private static final int REQUESTS = 100;

    @ParameterizedTest
    @ValueSource(strings = {"apps.JettyApp", "apps.TomcatApp", "apps.UndertowApp"})
    void servesOnTwoHubsWithTheAnswersItGivesWithoutTheAgent(String app) throws Exception {
        System.out.println("[coop-it] HubsServersIT: " + app + " under hubs=2");
        Jvm.Run r = Apps.check(Apps.agent().options("hubs=2").timeout(Duration.ofSeconds(30)).run(app, String.valueOf(REQUESTS), "200"),
                app + " (hubs=2)");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run(app, String.valueOf(REQUESTS), "200"), app + " (no agent)");
        Apps.printFigures(app.substring(5) + " hubs=2", r, plain);
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals(String.valueOf(REQUESTS), r.field("ok"), r::toString);
        Apps.assertSameResponses(r, plain);
        assertEquals("2", r.field("osThreads"), () -> "application code ran on the two hubs' threads; " + r);
        // serial: 100 x 0.2 s = 20 s (Undertow's worker pool holds 16 at a time: 1.25 s at best)
        Apps.assertWithin(r, "requestsMs", 195, 5000, "100 requests that wait 200 ms overlap");
        assertTrue(r.number("requestsPerSecond") > 0, r::toString);
    }
}
