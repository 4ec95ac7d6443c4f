package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;

/** MariaDB with MariaDB Connector/J from an unmodified blocking program under {@code -javaagent:coop.jar}. */
class MariaDbIT {
    @Test
    void thirtyThreadsSleepInMariaDb() throws Exception {
        Backends.Server db = Backends.mariadb("MariaDbIT");
        // Connector/J 4 asks for TLS by default; the local server (and the container) speak plain TCP
        Jvm.Run r = Apps.underAgent("apps.MariaDbApp", "jdbc:mariadb://" + db.hostPort() + "/test?sslMode=disable", "root", "30");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("30", r.field("right"), r::toString);
        Apps.assertOneOsThread(r);
        // serial: 30 x 0.5 s = 15 s
        Apps.assertWithin(r, "sleepMs", 480, 5000, "30 x sleep(0.5) overlap");
    }
}
