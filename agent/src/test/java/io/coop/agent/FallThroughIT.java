package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;

/**
 * Every patch falls through to the JDK's own behaviour on threads that are not greenlets: with
 * the thread area off ({@code -thread}) the programs' threads are real OS threads, the other
 * patches are woven in but answer "not mine", and the programs still get the JDK's results.
 */
class FallThroughIT {

    private static Jvm.Run realThreads(String app, String... args) throws Exception {
        Jvm.Run r = Jvm.agent().options("-thread").run(app, args);
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    @Test
    void sleepsOnRealThreads() throws Exception {
        Jvm.Run r = realThreads("testapps.SleepApp", "50", "300");
        assertEquals("50", r.field("done"));
        assertTrue(r.number("osThreads") > 1, r::toString);
    }

    @Test
    void socketsOnRealThreads() throws Exception {
        Jvm.Run r = realThreads("testapps.EchoApp", "20");
        assertEquals("60", r.field("echoed"), r::toString);
        assertEquals("SocketException:Socket_closed", r.field("acceptEnd"), r::toString);
        assertTrue(r.number("osThreads") > 1, r::toString);
        Jvm.Run t = realThreads("testapps.SoTimeoutApp");
        assertEquals("java.net.SocketTimeoutException:Read_timed_out", t.field("outcomes"), t::toString);
    }

    @Test
    void selectOnRealThreads() throws Exception {
        Jvm.Run r = realThreads("testapps.SelectApp");
        assertEquals("50", r.field("timedOut"), r::toString);
        assertEquals("true", r.field("wakeupEnded"), r::toString);
        assertTrue(r.number("osThreads") > 1, r::toString);
    }

    @Test
    void dnsAndProcessesOnRealThreads() throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.DnsApp");
        Jvm.Run r = realThreads("testapps.DnsApp");
        assertEquals(plain.field("answers"), r.field("answers"), r::toString);
        assertTrue(r.number("osThreads") > 1, r::toString);
        Jvm.Run p = realThreads("testapps.ProcessApp");
        assertEquals("first+second+", p.field("output"), p::toString);
        assertEquals("0", p.field("sleep4"), p::toString);
    }

    @Test
    void monitorsAndLocksOnRealThreads() throws Exception {
        Jvm.Run r = realThreads("testapps.SyncApp");
        assertEquals("1", r.field("maxInside"), r::toString);
        Jvm.Run w = realThreads("testapps.WaitNotifyApp");
        assertEquals("5050", w.field("total"), w::toString);
    }
}
