package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * NATS with the official Java client (jnats) from an unmodified program under
 * {@code -javaagent:coop.jar} with every area patched: connect (the client's NUID seeds a
 * SecureRandom in a class initializer), request/reply from 10 threads, publish/subscribe in
 * order, overlapping waits, close. The same program without the agent gets the same replies and
 * gives the figures to compare.
 */
class NatsIT {
    @Test
    void connectRequestReplyPubSubAndCloseOnOneOsThread() throws Exception {
        Backends.Server nats = Backends.nats("NatsIT");
        String[] args = {"nats://" + nats.hostPort(), "10", "100", "1000"};
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.NatsApp", args), "apps.NatsApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.NatsApp", args), "apps.NatsApp (no agent)");
        Apps.printFigures("NATS client", r, plain, "connectMs", "requestsMs", "roundTripsPerSecond", "osThreads", "processOsThreads", "closeMs");
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals("1000", run.field("replies"), () -> "10 threads x 100 request/reply round trips; " + run);
            assertEquals("1000", run.field("answered"), run::toString);
            assertEquals("1000", run.field("inOrder"), () -> "1,000 published messages received in order; " + run);
            assertEquals("10", run.field("timedOut"), run::toString);
            assertEquals("CLOSED", run.field("status"), run::toString);
            // serial: 10 x 0.5 s
            Apps.assertWithin(run, "waitMs", 480, 2500, "10 waits of 0.5 s for a message overlap");
        }
        Apps.assertSameResponses(r, plain);
        assertEquals("none", r.field("natsOsThreads"), () -> "the client's reader, writer and dispatcher threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        Apps.assertWithin(r, "connectMs", 0, 10_000, "the first connect (NUID's SecureRandom seeded in a class initializer)");
        Apps.assertWithin(r, "closeMs", 0, 10_000, "close");
    }
}
