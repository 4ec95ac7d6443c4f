package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The blocking monitor: one report per incident, naming the greenlet and its stack; quiet when nothing blocks. */
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
        assertTrue(e.getDuration("blockedMillis").toMillis() >= 100, e::toString);
        Files.deleteIfExists(rec);
    }
}
