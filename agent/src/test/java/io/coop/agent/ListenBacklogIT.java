package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A burst of 300 connects to a server listening with the JDK's default backlog (50). On one hub
 * every client connects before the acceptor runs again, so a backlog of 50 would drop most SYNs
 * and those connects would take the kernel's one-second retry; a socket a greenlet listens on is
 * given the kernel's cap instead (coop.listenBacklog), so no connect waits that second.
 */
class ListenBacklogIT {
    private static final int CLIENTS = 300;

    @ParameterizedTest(name = "a burst of connects to a {0} server bound by a greenlet")
    @ValueSource(strings = {"socket", "channel"})
    void noConnectWaitsForTheSynRetry(String kind) throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.BurstApp", kind, String.valueOf(CLIENTS));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(CLIENTS, r.number("ok"), r::toString);
        assertEquals(1, r.number("osThreads"), r::toString);
        assertTrue(r.number("slowestConnectMs") < 1000, () -> "a connect took the SYN retry's second: a dropped SYN; " + r);
    }

    @ParameterizedTest(name = "the same burst to a {0} server without coop")
    @ValueSource(strings = {"socket", "channel"})
    void plainThreadsBehaveAsBefore(String kind) throws Exception {
        Jvm.Run r = Jvm.plain().run("testapps.BurstApp", kind, String.valueOf(CLIENTS));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(CLIENTS, r.number("ok"), r::toString);
    }
}
