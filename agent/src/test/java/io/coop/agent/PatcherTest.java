package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A JDK whose classes lack a method coop weaves fails closed: the class is left as it was, the
 * patcher names the missing method (the agent then puts every class back and says so in one
 * sentence), while a missing optional target only leaves that method alone. Checked on real
 * class files through the patcher's own transformer.
 */
class PatcherTest {
    private static final String SAMPLE = WeaverTest.Sample.class.getName();

    private static byte[] sampleBytes() throws IOException {
        try (InputStream in = PatcherTest.class.getResourceAsStream("/" + SAMPLE.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static byte[] transform(Patcher p) throws IOException {
        return p.transform(null, PatcherTest.class.getClassLoader(), SAMPLE.replace('.', '/'), WeaverTest.Sample.class, null, sampleBytes());
    }

    @Test
    void aMissingRequiredMethodLeavesTheClassAsItWasAndIsNamed() throws IOException {
        Target present = new Target(SAMPLE, "twice", "(J)J", "sleep");
        Target missing = new Target(SAMPLE, "twice", "(I)J", "sleep"); // the name exists, not with this descriptor
        Patcher p = new Patcher(null, List.of(present, missing));
        assertNull(transform(p), "the class is left as it was");
        assertEquals(List.of(), p.wovenMethods());
        Patcher.PatchException e = p.failure();
        assertNotNull(e);
        assertEquals("no " + SAMPLE + ".twice(I)J in this JDK", e.getMessage());
        assertEquals(missing, e.target());
    }

    @Test
    void aMissingOptionalMethodIsOnlyLeftAlone() throws IOException {
        Target present = new Target(SAMPLE, "twice", "(J)J", "sleep");
        Target missing = new Target(SAMPLE, "gone", "()V", "sleep").optionalTarget();
        Patcher p = new Patcher(null, List.of(present, missing));
        assertNotNull(transform(p), "the present target is woven");
        assertEquals(List.of(SAMPLE + ".twice(J)J"), p.wovenMethods());
        assertNull(p.failure());
    }

    @Test
    void aClassTheWeaverCannotHandleIsLeftAsItWasAndSaysWhy() throws IOException {
        Target wrongShape = new Target(SAMPLE, "twice", "(J)J", "poll"); // a hook of four arguments for a method of one
        Patcher p = new Patcher(null, List.of(wrongShape));
        assertNull(transform(p));
        Patcher.PatchException e = p.failure();
        assertNotNull(e);
        assertTrue(e.getMessage().startsWith("cannot weave " + SAMPLE + ": ") && e.getMessage().contains("hook poll takes 4 arguments"), e.getMessage());
    }

    @Test
    void aMissingRequiredClassFailsBeforeAnythingIsRetransformed() {
        Target t = new Target("java.lang.NoSuchCoopTarget", "run", "()V", "sleep");
        Patcher.PatchException e = assertThrows(Patcher.PatchException.class, () -> new Patcher(null, List.of(t)).apply());
        assertEquals("no java.lang.NoSuchCoopTarget in this JDK", e.getMessage());
        assertEquals(t, e.target());
    }
}
