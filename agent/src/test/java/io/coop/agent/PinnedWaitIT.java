package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocking calls in static initializers, where a greenlet cannot unmount: each completes as on an
 * OS thread (holding the hub meanwhile, then the other threads go on), or, when only another
 * greenlet could end it, fails at once with LoopExit. Each case in a JVM of its own, every area
 * patched, with a time limit: a hang fails one test.
 */
class PinnedWaitIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} in a static initializer completes")
    @CsvSource({"sleep, slept, 290", "socket, hello, 190", "dns, 127.0.0.1, 0", "process, hi, 190",
            "random, seeded16, 0", "threadPool, 42, 190", "queueTimeout, timedOut, 190", "select, selected0, 190"})
    void completesAndTheOthersGoOn(String kind, String expected, long atLeastMs) throws Exception {
        Jvm.Run r = Jvm.agent().timeout(LIMIT).run("testapps.PinnedApp", kind);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(expected, r.field("got"), r::toString);
        assertTrue(r.number("initMs") >= atLeastMs, r::toString);
        assertTrue(r.number("ticksAfter") > 0, () -> "the ticker greenlet did not run after the initializer: " + r);
        assertEquals(1, r.number("osThreads"), r::toString);
    }

    @ParameterizedTest(name = "{0} in a static initializer, without coop")
    @ValueSource(strings = {"sleep", "process", "select", "join"})
    void plainThreadsBehaveAsBefore(String kind) throws Exception {
        Jvm.Run r = Jvm.plain().timeout(LIMIT).run("testapps.PinnedApp", kind);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.number("ticksDuring") > 0, () -> "a plain ticker thread runs while the initializer waits: " + r);
    }

    @ParameterizedTest(name = "{0} in a static initializer, which only another greenlet could end, fails at once")
    @CsvSource({"queue, Queue.get, QueueFromGreenlet", "join, join(worker), JoinThread"})
    void aWaitOnlyAGreenletCouldEndFailsAtOnce(String kind, String wait, String initializer) throws Exception {
        Jvm.Run r = Jvm.agent().timeout(LIMIT).run("testapps.PinnedApp", kind);
        assertEquals(0, r.exit(), r::toString);
        String got = r.field("got");
        assertTrue(got.startsWith("failed:LoopExit:"), r::toString);
        assertTrue(got.contains(wait), () -> "names the wait: " + got);
        assertTrue(got.contains("PinnedApp$" + initializer + ".<clinit>"), () -> "names the pinning frame: " + got);
        assertTrue(r.number("initMs") < 1000, r::toString);
        assertTrue(r.number("ticksAfter") > 0, r::toString);
    }
}
