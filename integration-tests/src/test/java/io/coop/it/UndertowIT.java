package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Undertow (undertow-core on XNIO) in an unmodified program under {@code -javaagent:coop.jar}
 * with every area patched: it starts, answers 100 requests sent at the same moment by 100
 * threads, each waiting 200 ms in a blocking handler, then a throughput round, and stops; the
 * same program without the agent answers the same. XNIO's I/O threads find themselves with
 * {@code WorkerThread.currentThread()}, i.e. {@code Thread.currentThread()} cast to their own
 * {@code Thread} subclass.
 */
class UndertowIT {
    private static final int REQUESTS = 100;

    @Test
    void startsServesHundredOverlappingSlowRequestsOnOneOsThreadAndStops() throws Exception {
        System.out.println("[coop-it] UndertowIT: Undertow and its clients in one program");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.UndertowApp", String.valueOf(REQUESTS), "200"), "apps.UndertowApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.UndertowApp", String.valueOf(REQUESTS), "200"),
                "apps.UndertowApp (no agent)");
        Apps.printFigures("Undertow", r, plain);
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("ok"), run::toString);
            assertTrue(run.number("requestsPerSecond") > 0, () -> "the throughput round got the right answers; " + run);
        }
        Apps.assertSameResponses(r, plain);
        assertEquals("none", r.field("serverOsThreads"), () -> "XNIO's accept, I/O and worker threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        Apps.assertWithin(r, "startMs", 0, 10_000, "Undertow starts");
        // serial: 100 x 0.2 s = 20 s
        Apps.assertWithin(r, "requestsMs", 195, 1000, "100 requests that wait 200 ms overlap");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "Undertow stops");
    }
}
