package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * NATS with the official Java client (jnats) from an unmodified program under
 * {@code -javaagent:coop.jar} with every area patched: connect (the client's NUID seeds a
 * SecureRandom in a class initializer), request/reply from 10 threads, publish/subscribe in
 * order, overlapping waits, close.
 */
class NatsIT {
    @Test
    void connectRequestReplyPubSubAndCloseOnOneOsThread() throws Exception {
        Backends.Server nats = Backends.nats("NatsIT");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(45))
                .run("apps.NatsApp", "nats://" + nats.hostPort(), "10", "100", "1000"), "apps.NatsApp");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("1000", r.field("replies"), () -> "10 threads x 100 request/reply round trips; " + r);
        assertEquals("1000", r.field("answered"), r::toString);
        assertEquals("1000", r.field("inOrder"), () -> "1,000 published messages received in order; " + r);
        assertEquals("10", r.field("timedOut"), r::toString);
        assertEquals("CLOSED", r.field("status"), r::toString);
        assertEquals("none", r.field("natsOsThreads"), () -> "the client's reader, writer and dispatcher threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        Apps.assertWithin(r, "connectMs", 0, 10_000, "the first connect (NUID's SecureRandom seeded in a class initializer)");
        // serial: 10 x 0.5 s
        Apps.assertWithin(r, "waitMs", 480, 2500, "10 waits of 0.5 s for a message overlap");
        Apps.assertWithin(r, "closeMs", 0, 10_000, "close");
    }
}
