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
    void unknownWordsNameTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchOptions.parse("time,sockets"));
        assertEquals("unknown coop option 'sockets'; valid options are time, thread, socket, select, dns, subprocess, verbose"
                + " (a leading - turns one off)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PatchOptions.all().without("file"));
        assertThrows(NullPointerException.class, () -> PatchOptions.only((String) null));
    }
}
