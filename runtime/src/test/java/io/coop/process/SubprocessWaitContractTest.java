package io.coop.process;

import io.coop.Coop;
import io.coop.testing.AbstractWaitContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Subprocess#waitFor} under the wait contract, with a real child that reads an exit code
 * from its standard input and exits with it: release writes "7" (so a wait that returns its exit
 * code returns 7: it saw this child's exit, not some other end). Nested: the static
 * {@link Subprocess#waitFor(Process, Duration)} that a patched {@code Process.waitFor} calls.
 *
 * <p>Keeps the timeout half only. HANDOVER: the exit is seen by the JDK's process reaper thread
 * and posted to the hub, never inside {@code release()}, and a waiter is handed nothing (the exit
 * code stays on the process). LOOP_EXIT: a running child can still end the wait, so the hub is
 * kept alive while anyone waits (checked by {@code SubprocessTest.waitingForAProcessIsNotALoopExit}).
 */
class SubprocessWaitContractTest extends AbstractWaitContractTest {
    /** Reads a line and exits with it as the code: alive until told, and its code says it was us. */
    static final String[] CHILD = {"sh", "-c", "read code; exit \"$code\""};
    static final Map<Part, String> EXEMPTIONS = Map.of(
            Part.HANDOVER, "the exit is seen by the JDK's reaper thread and posted to the hub, never inside "
                    + "release(), and a waiter is handed nothing (the exit code stays on the process)",
            Part.LOOP_EXIT, "a running child can still end the wait, so the hub is kept alive while anyone waits "
                    + "(SubprocessTest.waitingForAProcessIsNotALoopExit checks that)");

    private Subprocess sub;

    @Override
    protected Map<Part, String> exemptions() {
        return EXEMPTIONS;
    }

    @Override
    protected void prepare() {
        sub = Subprocess.start(CHILD);
    }

    @Override
    protected Object waitFor(Duration timeout) {
        return timeout == null ? (Object) sub.waitFor() : sub.waitFor(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        tellExitCode(sub.process(), 7);
        return 7;
    }

    @Override
    protected void assertConsistent() {
        assertFalse(sub.isAlive());
        assertEquals(7, sub.exitCode());
        assertTrue(sub.waitFor(Duration.ZERO), "waiting for an exited process returns at once");
        assertEquals(7, sub.waitFor());
        assertKeptAliveByNobody();
    }

    @AfterEach
    void killTheChild() {
        if (sub != null) sub.close();
    }

    /** Writes the code the child exits with to its standard input, and closes it. */
    static void tellExitCode(Process p, int code) {
        try (OutputStream in = p.getOutputStream()) {
            in.write((code + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every waiter's keep-alive was let go: a later wait that nothing can end is a LoopExit again. */
    static void assertKeptAliveByNobody() {
        assertTrue(Coop.hub().stats().contains("keepAlive=0"), "a wait left the hub kept alive: " + Coop.hub().stats());
    }

    /** The static waitFor(Process, Duration), for processes coop did not start (what a patched Process.waitFor calls). */
    @Nested
    class AnyProcess extends AbstractWaitContractTest {
        private Process process;

        @Override
        protected Map<Part, String> exemptions() {
            return EXEMPTIONS;
        }

        @Override
        protected void prepare() {
            try {
                process = new ProcessBuilder(CHILD).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected Object waitFor(Duration timeout) {
            return Subprocess.waitFor(process, timeout);
        }

        @Override
        protected Class<? extends RuntimeException> ownTimeout() {
            return null;
        }

        @Override
        protected Object release() {
            tellExitCode(process, 7);
            return Boolean.TRUE;
        }

        @Override
        protected void assertConsistent() {
            assertFalse(process.isAlive());
            assertEquals(7, process.exitValue(), "the child read the code it was told: it ran until released");
            assertTrue(Subprocess.waitFor(process, Duration.ZERO));
            assertKeptAliveByNobody();
        }

        @AfterEach
        void killTheChild() {
            if (process != null) process.destroyForcibly();
        }
    }
}
