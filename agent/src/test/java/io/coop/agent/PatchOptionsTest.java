package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.coop.monkey.PatchOptions;
import org.junit.jupiter.api.Test;

/** The agent's option syntax ({@code socket,time,-thread,verbose}). */
class PatchOptionsTest {

    @Test
    void theAreasAreThePatchesOwnNames() {
        assertEquals(List.of("time", "thread", "socket", "select", "dns", "subprocess"), PatchOptions.AREAS);
        List<String> names = new java.util.ArrayList<>();
        for (Patch p : CoopAgent.patches()) if (!p.area().equals(PinnedWaits.CORE)) names.add(p.area());
        assertEquals(PatchOptions.AREAS, names);
        assertFalse(PatchOptions.AREAS.contains(PinnedWaits.CORE));
    }

    @Test
    void blankMeansEveryArea() {
        assertEquals(List.copyOf(PatchOptions.AREAS), List.copyOf(PatchOptions.parse(null).areas()));
        assertEquals(List.copyOf(PatchOptions.AREAS), List.copyOf(PatchOptions.parse(" ").areas()));
        assertFalse(PatchOptions.parse("").isVerbose());
    }

    @Test
    void namingAreasPatchesOnlyThoseInTheirOrder() {
        PatchOptions o = PatchOptions.parse("socket,time,-thread,verbose");
        assertEquals(List.of("time", "socket"), List.copyOf(o.areas()));
        assertTrue(o.isVerbose());
    }

    @Test
    void aLeadingMinusTurnsOneOff() {
        PatchOptions o = PatchOptions.parse("-thread,-dns");
        assertEquals(List.of("time", "socket", "select", "subprocess"), List.copyOf(o.areas()));
        assertEquals(List.of("time", "thread", "select", "dns", "subprocess"), List.copyOf(PatchOptions.all().without("socket").areas()));
        assertEquals(List.of("time", "dns"), List.copyOf(PatchOptions.only("dns", "time").areas()));
    }

    @Test
    void settingsRideAlongAndAnExplicitPropertyWins() {
        AreaChoice c = AreaChoice.parse("socket,seed=42,trace=/tmp/run.trace");
        assertEquals(List.of("socket"), List.copyOf(c.areas()));
        assertEquals(java.util.Map.of("seed", "42", "trace", "/tmp/run.trace"), c.settings());
        String before = System.getProperty("coop.trace");
        System.setProperty("coop.trace", "/tmp/explicit.trace");
        try {
            c.applySettings();
            assertEquals("42", System.getProperty("coop.seed"));
            assertEquals("/tmp/explicit.trace", System.getProperty("coop.trace"), "-Dcoop.trace given explicitly wins");
        } finally {
            System.clearProperty("coop.seed");
            if (before == null) System.clearProperty("coop.trace");
            else System.setProperty("coop.trace", before);
        }
    }

    @Test
    void unknownWordsNameTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchOptions.parse("time,sockets"));
        assertEquals("unknown coop option 'sockets'; valid options are time, thread, socket, select, dns, subprocess, verbose"
                + " (a leading - turns one off) and seed=..., schedule=..., virtualTime=..., trace=..., hubs=...", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AreaChoice.parse("seed=1,speed=2"));
        assertTrue(e.getMessage().startsWith("unknown coop setting 'speed=2'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AreaChoice.parse("seed="));
        assertThrows(IllegalArgumentException.class, () -> PatchOptions.all().without("file"));
        assertThrows(NullPointerException.class, () -> PatchOptions.only((String) null));
    }
}
