package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Inside a started Thread, Thread.currentThread() is that Thread under the agent as without it:
 * the same object, subclass, id, priority and handler, with the context class loader and
 * LockSupport.unpark reaching the greenlet that runs it. The program's answers are compared
 * field by field with the same program on plain threads. (Under {@code Monkey.patchAll()} the
 * classes loaded before the call keep the JDK's answer: they are not rewritten.)
 */
class ThreadIdentityIT {

    private static Map<String, String> answers(Jvm.Run r) {
        Map<String, String> m = new TreeMap<>(r.result());
        m.remove("elapsedMs");
        m.remove("osThreads");
        return m;
    }

    @Test
    void currentThreadIsTheStartedThread() throws Exception {
        Jvm.Run plain = Jvm.plain().run("testapps.ThreadIdentityApp");
        Jvm.Run coop = Jvm.agent().run("testapps.ThreadIdentityApp");
        assertEquals(0, plain.exit(), plain::toString);
        assertEquals(0, coop.exit(), coop::toString);
        assertEquals("true", plain.field("same"), plain::toString);
        assertEquals(answers(plain), answers(coop), coop::toString);
        assertEquals("1", coop.field("osThreads"), coop::toString);
    }
}
