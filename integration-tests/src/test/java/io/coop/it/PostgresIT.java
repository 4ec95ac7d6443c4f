package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL with pgjdbc (plain {@code DriverManager} connections, then a HikariCP pool), from
 * unmodified blocking programs under {@code -javaagent:coop.jar}: right answers, overlapping
 * server-side sleeps, every client thread on one OS thread.
 */
class PostgresIT {
    private static String url(Backends.Server pg) {
        return "jdbc:postgresql://" + pg.hostPort() + "/test";
    }

    @Test
    void fiftyThreadsSleepInPgThenQueryAndTransactionsCommitOrRollBack() throws Exception {
        Backends.Server pg = Backends.postgres("PostgresIT pgjdbc");
        Jvm.Run r = Apps.underAgent("apps.PgApp", url(pg), "postgres", "50");
        Apps.assertMonitorQuiet(r);
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("50", r.field("right"), r::toString);
        assertEquals("25", r.field("txRows"), r::toString);
        assertEquals("true", r.field("txRight"), r::toString);
        Apps.assertOneOsThread(r);
        // serial: 50 x 0.5 s = 25 s; 50 x 0.2 s = 10 s
        Apps.assertWithin(r, "sleepMs", 480, 6000, "50 x pg_sleep(0.5) overlap");
        Apps.assertWithin(r, "txMs", 190, 5000, "50 transactions holding pg_sleep(0.2) overlap");
    }

    @Test
    void fiftyThreadsShareAHikariPoolOfTen() throws Exception {
        Backends.Server pg = Backends.postgres("PostgresIT HikariCP");
        Jvm.Run r = Apps.underAgent("apps.HikariApp", url(pg), "postgres", "10", "50");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("50", r.field("right"), r::toString);
        assertEquals("10", r.field("poolTotal"), r::toString);
        assertEquals("none", r.field("hikariOsThreads"), () -> "Hikari's own threads run as greenlets, not OS threads; " + r);
        Apps.assertOneOsThread(r);
        // 10 connections, 50 borrowers of 0.5 s each: five rounds (2.5 s); serial would be 25 s
        Apps.assertWithin(r, "poolMs", 2450, 10_000, "five rounds of ten overlapping pg_sleep(0.5)");
    }
}
