package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RabbitMQ with the official amqp-client from an unmodified program under
 * {@code -javaagent:coop.jar}: the client's own threads (connection reader, or its NIO selector
 * loop, or Netty's event loop; consumer pool; heartbeats) become greenlets, and nothing is lost
 * or delivered twice.
 */
class RabbitMqIT {
    /** The client's three I/O layers: blocking sockets (the default), its own NIO selector loop, Netty's event loop. */
    @ParameterizedTest
    @ValueSource(strings = {"blocking", "nio", "netty"})
    void aPublisherAndTenConsumersMoveTenThousandMessages(String io) throws Exception {
        Backends.Server mq = Backends.rabbitmq("RabbitMqIT " + io);
        Jvm.Run r = Apps.underAgent("apps.RabbitApp", mq.host(), String.valueOf(mq.port()), "10", "10000", io);
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("true", r.field("complete"), r::toString);
        assertEquals("10000", r.field("distinct"), () -> "no message lost; " + r);
        assertEquals("0", r.field("duplicates"), () -> "no message twice; " + r);
        assertEquals("0", r.field("redelivered"), r::toString);
        assertEquals("10", r.field("consumersUsed"), r::toString);
        assertEquals("none", r.field("clientOsThreads"), () -> "the client's I/O thread and consumer threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        // 10,000 x 5 ms of consumer waits: 50 s one after another, 5 s across 10 consumers (plus the
        // client's and the broker's own work, which overlaps with it: 5 to 9 s on 2 loaded cores)
        Apps.assertWithin(r, "deliverMs", 4900, 25_000, "ten consumers' waits overlap");
    }
}
