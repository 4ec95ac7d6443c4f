package io.coop.agent;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * hubs=N: an unmodified thread-per-connection server's threads are placed on N hubs in turn, so
 * the work runs on N OS threads, with the same answers as on plain threads.
 */
class HubsIT {
    private static final int CLIENTS = 100;

    @Test
    void theSameAnswersOnPlainThreads() throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.HubsEchoApp", String.valueOf(CLIENTS));
        assertEquals(0, plain.exit(), plain::toString);
        assertEquals(String.valueOf(3 * CLIENTS), plain.field("echoed"), plain::toString);
        assertEquals(String.valueOf(3 * CLIENTS), plain.field("total"), plain::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void twoHubsServeOnTwoOsThreadsWithTheSameAnswers(Jvm.Mode mode) throws Exception {
        Jvm jvm = mode == Jvm.Mode.AGENT ? Jvm.agent().options("hubs=2") : Jvm.patchAll().jvmArg("-Dcoop.hubs=2");
        Jvm.Run r = jvm.run("testapps.HubsEchoApp", String.valueOf(CLIENTS));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(String.valueOf(3 * CLIENTS), r.field("echoed"), r::toString);
        assertEquals(String.valueOf(3 * CLIENTS), r.field("total"), "a monitor shared across hubs guards as on OS threads: " + r);
        assertEquals("2", r.field("serverThreads"), "connections' threads ran on both hubs: " + r);
        assertTrue(r.number("fewestPerThread") >= CLIENTS / 4, "placed in turn, each hub serves about half: " + r);
        assertEquals("2", r.field("osThreads"), "all application code ran on the two hub threads: " + r);
        assertFalse(r.err().contains("LoopExit") || r.err().contains("SEVERE"), r::toString);
    }

    @Test
    void theBlockingMonitorWatchesEveryHub() throws Exception {
        // the sleeper is placed on main's hub, the cruncher (800 ms without a wait) on the second
        Jvm.Run r = Jvm.agent().options("hubs=2").run("testapps.BlockingApp");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().matches("(?s).*the hub on thread \"coop-hub-\\d+\" has been blocked for \\d+ ms .*by greenlet \"cruncher\".*"),
                "the second hub's hold is reported: " + r);
        assertFalse(r.err().contains("the hub on thread \"main\" has been blocked"), r::toString);
    }

    @Test
    void oneHubStaysTheDefault() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.HubsEchoApp", String.valueOf(CLIENTS));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("1", r.field("serverThreads"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @Test
    void moreThanOneHubWithASeedIsRefusedClearly() throws Exception {
        Jvm.Run r = Jvm.agent().options("hubs=2,seed=3").run("testapps.HubsEchoApp", "2");
        assertNotEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("cannot be combined with a seed"), r::toString);
    }
}
