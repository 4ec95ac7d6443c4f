package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The time and thread areas on unmodified programs, under {@code -javaagent:coop.jar} and under
 * {@code Monkey.patchAll()}: every application thread runs on one OS thread, waits overlap (the
 * elapsed time is near the longest wait, not the sum), and the results are the ones the same
 * program prints without coop.
 */
class ThreadsAndTimeIT {

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void twoHundredSleepingThreadsOverlapOnOneOsThread(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.SleepApp", "200", "500");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("200", r.field("done"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        assertTrue(ms >= 450 && ms < 2500, "200 sleeps of 500 ms overlap: " + ms + " ms; " + r);
        assertEquals("false", r.field("alive"));
        assertEquals("TERMINATED", r.field("state"));
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void fixedPoolOfEightRunsEightySleepingTasks(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.PoolApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.PoolApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(plain.field("sum"), r.field("sum"), r::toString);
        assertEquals("true", r.field("terminated"));
        assertEquals("1", r.field("osThreads"), r::toString);
        assertEquals("9", plain.field("osThreads"), plain::toString);
        long ms = r.number("elapsedMs");
        // 80 tasks x 100 ms on 8 workers: 10 rounds, not 80 x 100 ms
        assertTrue(ms >= 950 && ms < 4000, "8 workers overlap: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void countDownLatch(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.LatchApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("true", r.field("awaited"));
        assertEquals("0", r.field("count"));
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        assertTrue(ms >= 450 && ms < 2500, "sleeps of 100..500 ms overlap: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void synchronizedWithSleepKeepsMutualExclusion(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.SyncApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("1", r.field("maxInside"), r::toString);
        assertEquals("30", r.field("entries"));
        assertEquals("1", r.field("osThreads"), r::toString);
        long ms = r.number("elapsedMs");
        // 30 turns of 20 ms inside the lock are serial by design
        assertTrue(ms >= 600 && ms < 4000, "30 x 20 ms under one lock: " + ms + " ms; " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void waitAndNotify(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.WaitNotifyApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("5050", r.field("total"), r::toString);
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void threadObjectsKeepTheirMeaning(Jvm.Mode mode) throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.ThreadSemanticsApp");
        Jvm.Run r = Jvm.of(mode).run("testapps.ThreadSemanticsApp");
        assertEquals(0, r.exit(), r::toString);
        for (String k : new String[] {"newState", "innerName", "afterJoin", "restart", "interrupt", "interruptMs", "uncaught",
                "timedJoinAlive", "daemon", "renamed"}) {
            assertEquals(plain.field(k), r.field(k), k + ": " + r);
        }
        assertEquals("1", r.field("osThreads"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"AGENT", "PATCH_ALL"})
    void jvmWaitsForNonDaemonThreadsAfterMainReturns(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.NonDaemonApp");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("MAIN-RETURNS"), r::toString);
        assertEquals("true", r.field("late"), r::toString);
        assertTrue(!r.out().contains("DAEMON-FINISHED"), "a daemon thread is not waited for: " + r);
    }

    @ParameterizedTest
    @EnumSource(value = Jvm.Mode.class, names = {"PLAIN", "AGENT"})
    void mainFailingIsReportedAsWithoutCoopAndOtherThreadsGoOn(Jvm.Mode mode) throws Exception {
        Jvm.Run r = Jvm.of(mode).run("testapps.NonDaemonApp", "fail");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("Exception in thread \"main\" java.lang.IllegalStateException: main failed on purpose"), r::toString);
        assertEquals("true", r.field("late"), r::toString);
    }
}
