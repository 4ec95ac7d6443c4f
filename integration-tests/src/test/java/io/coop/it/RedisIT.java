package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;

/** Redis with Jedis and JedisPool from an unmodified blocking program under {@code -javaagent:coop.jar}. */
class RedisIT {
    @Test
    void fiftyThreadsInBlpopThenSetGetAndPubSub() throws Exception {
        Backends.Server redis = Backends.redis("RedisIT");
        Jvm.Run r = Apps.underAgent("apps.JedisApp", redis.host(), String.valueOf(redis.port()), "50", "10", "1000");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("25", r.field("popped"), () -> "the 25 pushed lists pop their value; " + r);
        assertEquals("25", r.field("timedOut"), () -> "the 25 others time out; " + r);
        assertEquals("50", r.field("setGet"), r::toString);
        assertEquals("10", r.field("pubsubRight"), () -> "every subscriber got all 1000 messages in order; " + r);
        assertEquals("none", r.field("poolOsThreads"), () -> "commons-pool's evictor runs as a greenlet; " + r);
        Apps.assertOneOsThread(r);
        // serial: 25 x 0.5 s of timeouts alone
        Apps.assertWithin(r, "blpopMs", 480, 5000, "50 x BLPOP with a 0.5 s timeout overlap");
    }
}
