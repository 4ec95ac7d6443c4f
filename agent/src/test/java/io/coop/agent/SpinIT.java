package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Threads that wait for another thread without ever blocking: on one hub they must give the
 * others turns, or the program stops for ever. Each case in a JVM of its own, every area patched,
 * with a time limit, so a hang fails one test. The same programs without coop end the same way.
 */
class SpinIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "a {0} loop gives the other threads turns")
    @ValueSource(strings = {"onSpinWait", "yield", "busySelect"})
    void spinnerLetsTheStepperFinish(String kind) throws Exception {
        Jvm.Run r = Jvm.agent().timeout(LIMIT).run("testapps.SpinApp", kind);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(300, r.number("steps"), r::toString);
        assertTrue(r.number("spins") > 0, r::toString);
        assertEquals(1, r.number("osThreads"), r::toString);
    }

    @ParameterizedTest(name = "a {0} loop is preempted under coop.preempt")
    @ValueSource(strings = {"plainSpin", "closedAccept"})
    void preemptionEndsSpinsThatNeverCallAnything(String kind) throws Exception {
        // the stepper's 300 steps end only if the spinner is preempted; a hold the monitor reports
        // (past 1 s) would mean preemption came far later than its 5 ms. Not 100 ms: on a loaded
        // machine the monitor thread itself may run 250 ms late
        Jvm.Run r = Jvm.agent().jvmArg("-Dcoop.preempt=5ms").jvmArg("-Dcoop.maxBlockingTime=1s").timeout(LIMIT)
                .run("testapps.SpinApp", kind);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(300, r.number("steps"), r::toString);
        assertTrue(r.number("spins") > 0, r::toString);
        assertEquals(1, r.number("osThreads"), r::toString);
        assertFalse(r.err().contains("has been blocked"), () -> "preempted long before the monitor's 1 s: " + r);
    }

    @Test
    void preemptedSpinnersWaitBehindGreenletsWokenByIo() throws Exception {
        // 40 leaked accept loops (as a test suite leaves them) beside a loopback client and server.
        // A preempted spinner runs when nothing else is ready, or once the others have had as long
        // as its slice took: most round trips wait for no slice at all (about 0.2 ms, loaded or
        // not), where they waited for a round of all 40 slices (about 1 s) when a preempted
        // spinner queued behind the others as an ordinary yield does
        Jvm.Run r = Jvm.agent().jvmArg("-Dcoop.preempt=10ms").jvmArg("-Dcoop.maxBlockingTime=1s").timeout(LIMIT)
                .run("testapps.SpinnersApp", "40", "50");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(50, r.number("right"), r::toString);
        assertTrue(r.number("fewestSpins") > 0, () -> "every spinner still gets turns: " + r);
        assertEquals(1, r.number("osThreads"), r::toString);
        assertTrue(r.number("medianMicros") < 10_000, () -> "most round trips waited for a spinner's 10 ms slice: " + r);
        Jvm.Run plain = Jvm.plain().timeout(LIMIT).run("testapps.SpinnersApp", "40", "50");
        assertEquals(0, plain.exit(), plain::toString);
        assertEquals(50, plain.number("right"), plain::toString);
        assertTrue(plain.number("osThreads") > 1, plain::toString);
    }

    @ParameterizedTest(name = "a {0} loop without coop")
    @ValueSource(strings = {"onSpinWait", "yield", "busySelect", "plainSpin", "closedAccept"})
    void plainThreadsBehaveAsBefore(String kind) throws Exception {
        Jvm.Run r = Jvm.plain().timeout(LIMIT).run("testapps.SpinApp", kind);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(300, r.number("steps"), r::toString);
        assertTrue(r.number("osThreads") > 1, r::toString);
    }
}
