package io.coop.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** @CoopTest in a test JVM started without -javaagent: the extension attaches coop to the JVM on the first run. */
class SelfAttachIT {
    @Test
    void coopTestAttachesCoopWhenTheJvmHasNoAgent() throws Exception {
        Jvm.Run r = Jvm.plain().classpath(System.getProperty("java.class.path")).timeout(Duration.ofMinutes(2))
                .run("io.coop.junit.SelfAttachMain");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("true", r.field("agent"), "coop was attached: " + r);
        assertEquals(1, r.number("fifoPassed"), r.toString());
        assertEquals(100, r.number("seededRuns"), r.toString());
        assertTrue(r.number("seededFailed") > 0, "the seeds find the lost update after a self-attach too: " + r);
        assertTrue(r.err().contains("Monkey.patchAll() attached coop"), "the JDK's warning is explained: " + r.err());
    }
}
