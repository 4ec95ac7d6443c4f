package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The blocking monitor: a report when a hold is found, naming the greenlet by its current name
 * with its stack, and one at its end with its whole length; repeats at one call site counted;
 * start-up work (class loading) not a warning; quiet when nothing blocks.
 */
class BlockingMonitorIT {

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void aComputingGreenletIsReportedOnceWithItsStack() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.BlockingApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, count(r.err(), "has been blocked for"), r::toString);
        assertTrue(r.err().contains("coop: the hub on thread \"main\" has been blocked for"), r::toString);
        assertTrue(r.err().contains("(coop.maxBlockingTime is 100 ms) by greenlet \"cruncher\""), r::toString);
        assertTrue(r.err().contains("at testapps.BlockingApp.spin(BlockingApp.java"), r::toString);
    }

    @Test
    void aHoldOfAHundredTimesTheLimitIsWrittenStraightToStandardError() throws Exception {
        // the program's own standard error is written out by one of its threads, a greenlet of the
        // held hub: the logged report waits in its buffer and is lost when the process ends in the
        // hold; the hang's report (at 100 x 20 ms) goes to the process's standard error itself
        Jvm.Run r = Jvm.agent().jvmArg("-Dcoop.maxBlockingTime=20ms").run("testapps.HungApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, count(r.err(), "and still is"), r::toString);
        long ms = number(r.err(), "coop: the hub on thread \"main\" has been blocked for (\\d+) ms by greenlet \"hung\" and still is");
        assertTrue(ms >= 2000 && ms < 4000, r::toString);
        assertTrue(r.err().contains("at testapps.HungApp.lambda$main$1(HungApp.java"), r::toString);
        assertFalse(r.err().contains("(coop.maxBlockingTime is 20 ms)"), () -> "the logged report could not leave the buffer: " + r);
    }

    /** The number in the first match of {@code regex}'s group 1 in {@code text}. */
    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no match for " + regex + " in:\n" + text);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theEndOfAnIncidentReportsItsWholeLength() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.BlockingApp"); // holds the hub for 800 ms
        assertEquals(0, r.exit(), r::toString);
        long found = number(r.err(), "has been blocked for (\\d+) ms");
        long whole = number(r.err(), "the hub on thread \"main\" was blocked for (\\d+) ms in all by greenlet \"cruncher\" at testapps\\.BlockingApp\\.spin");
        assertTrue(found < whole, r::toString); // found while the hold lasts, not at its end
        assertTrue(whole >= 700 && whole < 3000, r::toString);
        assertEquals(1, count(r.err(), "ms in all"), r::toString);
    }

    @Test
    void aRenamedThreadIsReportedByItsCurrentName() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.RenamedApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, count(r.err(), "has been blocked for"), r::toString);
        assertEquals(2, count(r.err(), "by greenlet \"Selector-31\""), r::toString); // found, and ended
        assertFalse(r.err().contains("greenlet \"Thread-"), r::toString);
    }

    @Test
    void aCallSiteThatBlocksAgainIsReportedOnceThenCounted() throws Exception {
        Path rec = Files.createTempFile("coop-monitor", ".jfr");
        // 4 holds of 300 ms within about 1.3 s; the repeats' summary is due 2 s after the first report, the program ends 2.5 s later
        Jvm.Run r = Jvm.agent().jvmArg("-Dcoop.monitor.repeatInterval=2s").jvmArg("-XX:StartFlightRecording:filename=" + rec + ",settings=default")
                .jvmArg("-Xlog:jfr+startup=off").run("testapps.RepeatApp", "2500");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, count(r.err(), "has been blocked for"), r::toString);
        assertEquals(1, count(r.err(), "ms in all"), r::toString);
        assertEquals(1, count(r.err(), "more times"), r::toString);
        assertTrue(r.err().contains("coop: the hub was blocked 3 more times at testapps.BlockingApp.spin in the last "), r::toString);
        List<RecordedEvent> blocked = RecordingFile.readAllEvents(rec).stream().filter(e -> e.getEventType().getName().equals("io.coop.HubBlocked")).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), blocked.stream().map(e -> e.getLong("callSiteIncidents")).sorted().toList(), "events: " + blocked);
        for (RecordedEvent e : blocked) {
            assertEquals("testapps.BlockingApp.spin", e.getString("callSite"), e::toString);
            assertEquals("repeater", e.getString("greenlet"), e::toString);
        }
        Files.deleteIfExists(rec);
    }

    @Test
    void startUpWorkIsNotABlockingProblemButAComputationAfterItIs() throws Exception {
        Path logging = Files.createTempFile("coop-logging", ".properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\njava.util.logging.ConsoleHandler.level=ALL\nio.coop.level=FINE\n");
        Jvm.Run r = Jvm.agent().jvmArg("-Djava.util.logging.config.file=" + logging).run("testapps.StartupWorkApp");
        Files.deleteIfExists(logging);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(number(r.out(), "loaded \\d+ classes in (\\d+) ms") >= 600, r::toString);
        assertTrue(number(r.err(), "FINE: coop: start-up work \\(class loading\\) held the hub on thread \"main\" for (\\d+) ms") >= 100, r::toString);
        assertEquals(1, count(r.err(), "has been blocked for"), r::toString);
        assertTrue(r.err().contains("ms (coop.maxBlockingTime is 100 ms) by greenlet \"cruncher\""), r::toString);
        assertFalse(r.err().contains("greenlet \"loader\""), r::toString);
    }

    @Test
    void quietWhenNothingBlocks() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.SleepApp", "200", "300");
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.err().contains("has been blocked"), r::toString);
    }

    @Test
    void thresholdAndSwitchAreConfigurable() throws Exception {
        Jvm.Run longer = Jvm.agent().jvmArg("-Dcoop.maxBlockingTime=2s").run("testapps.BlockingApp");
        assertEquals(0, longer.exit(), longer::toString);
        assertFalse(longer.err().contains("has been blocked"), longer::toString);
        Jvm.Run off = Jvm.agent().jvmArg("-Dcoop.monitor=false").run("testapps.BlockingApp");
        assertEquals(0, off.exit(), off::toString);
        assertFalse(off.err().contains("has been blocked"), off::toString);
    }

    @Test
    void incidentIsAJfrEvent() throws Exception {
        Path rec = Files.createTempFile("coop-monitor", ".jfr");
        Jvm.Run r = Jvm.agent().jvmArg("-XX:StartFlightRecording:filename=" + rec + ",settings=default")
                .jvmArg("-Xlog:jfr+startup=off").run("testapps.BlockingApp");
        assertEquals(0, r.exit(), r::toString);
        List<RecordedEvent> events = RecordingFile.readAllEvents(rec);
        List<RecordedEvent> blocked = events.stream().filter(e -> e.getEventType().getName().equals("io.coop.HubBlocked")).toList();
        assertEquals(1, blocked.size(), "events: " + blocked);
        RecordedEvent e = blocked.get(0);
        assertEquals("cruncher", e.getString("greenlet"));
        assertEquals("main", e.getString("hubThread"));
        assertTrue(e.getString("stack").contains("testapps.BlockingApp.spin"), e::toString);
        // committed at the end of the 800 ms hold, spanning it
        assertTrue(e.getDuration("blockedMillis").toMillis() >= 700, e::toString);
        assertTrue(e.getDuration().toMillis() >= 650, e::toString);
        assertEquals("testapps.BlockingApp.spin", e.getString("callSite"));
        assertEquals(1, e.getLong("callSiteIncidents"));
        Files.deleteIfExists(rec);
    }
}
