package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The socket, select, dns and subprocess areas on unmodified programs, under
 * {@code -javaagent:coop.jar} and {@code Monkey.patchAll()}: one OS thread for all application
 * code, overlapping waits, and the results (and exceptions) the same program gets without coop.
 */
class IoIT {

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void threadPerConnectionEchoServerWithTwoHundredClients(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.EchoApp", "200");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("600", r.field("echoed"), r::toString);
        assertEquals("200", r.field("served"), r::toString);
        assertEquals("SocketException:Socket_closed", r.field("acceptEnd"), "close ends a blocked accept as in the JDK: " + r);
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        // each client sleeps 3 x 100 ms; serial would be 60 s
        assertTrue(ms >= 300 && ms < 10_000, "200 connections overlap: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void blockingChannels(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.EchoApp", "50", "channels");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("150", r.field("echoed"), r::toString);
        assertEquals("50", r.field("served"), r::toString);
        assertEquals("AsynchronousCloseException", r.field("acceptEnd"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void soTimeoutFiresWithTheJdksException(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.SoTimeoutApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.SoTimeoutApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(plain.field("outcomes"), r.field("outcomes"), r::toString);
        assertEquals("java.net.SocketTimeoutException:Read_timed_out", r.field("outcomes"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        assertTrue(ms >= 280 && ms < 3000, "20 reads time out together after 300 ms: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void fiftyThreadsInSelectorSelect(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.SelectApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("50", r.field("timedOut"), r::toString);
        assertEquals("true", r.field("wakeupEnded"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        assertTrue(ms >= 280 && ms < 3000, "50 x select(300) overlap: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void hundredThreadsResolvingNames(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.DnsApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.DnsApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(plain.field("answers"), r.field("answers"), r::toString);
        assertEquals(plain.field("failures"), r.field("failures"), r::toString);
        assertEquals("100", r.field("lookups"));
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void fiveOverlappingProcessWaitsAndAPipeRead(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.ProcessApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.ProcessApp");
        assertEquals(0, r.exit(), r::toString);
        for (String k : new String[] {"sleep0", "sleep1", "sleep2", "sleep3", "sleep4", "output", "outputExit"}) {
            assertEquals(plain.field(k), r.field(k), k + ": " + r);
        }
        assertEquals("first+second+", r.field("output"));
        assertEquals("3", r.field("outputExit"));
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        assertTrue(ms >= 450 && ms < 4000, "5 x 0.5 s processes overlap: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void hubSelectorWaitEndsWhilePatchedSocketsWait(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.MixedWaitsApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("true", r.field("ready"), r::toString);
        assertTrue(r.number("readyAfterMs") < 900, "the pending connection is seen at once, not at the client's timeout: " + r);
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @Test
    void coopUsedBeforePatchAllMovesItsHubFromTheSelectorToEpollWithoutEndingItsWaits() throws Exception {
        Jvm.Run r = Jvm.patchAll().jvmArg("--add-opens=java.base/java.lang=ALL-UNNAMED").run("testapps.LatePatchApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("selector", r.field("ioBefore"), r::toString);
        assertEquals("epoll", r.field("ioAfter"), "the first raw-descriptor wait moves the hub to epoll: " + r);
        assertEquals("false", r.field("acceptorEarly"), "the channel wait moved over, it was not ended: " + r);
        assertEquals("true", r.field("ready"), r::toString);
        assertTrue(r.number("readyAfterMs") >= 200, "ready when the connection came, not at the move: " + r);
        assertEquals("SocketTimeoutException", r.field("reader"), r::toString);
        assertEquals("true", r.field("ioWaitersLeft"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void reusedDescriptorsAndTwoWaitsOnOneSocket(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.SocketReuseApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.SocketReuseApp");
        assertEquals(0, r.exit(), r::toString);
        for (String k : new String[] {"timedOut", "readAfterReuse", "closeEndsRead", "readerAndWriter"}) {
            assertEquals(plain.field(k), r.field(k), k + ": " + r);
        }
        assertEquals("30", r.field("readAfterReuse"), r::toString);
        assertEquals("SocketException:Socket_closed", r.field("closeEndsRead"), r::toString);
        assertEquals("written=ok,drained=4194304,read:9,prompt", r.field("readerAndWriter"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
    }
}
