package io.coop.process;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.LoopExit;
import io.coop.Timeout;
import io.coop.Waiter;
import io.coop.testing.Elapsed;
import io.coop.testing.OsThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubprocessTest {

    /** A greenlet that counts ticks every {@code everyMillis} and records the OS thread of each. */
    private static final class Ticker {
        final AtomicInteger ticks = new AtomicInteger();
        final Set<String> threads = new HashSet<>();
        final Greenlet<?> greenlet;

        Ticker(long everyMillis) {
            greenlet = Coop.spawn(() -> {
                while (true) {
                    ticks.incrementAndGet();
                    threads.add(OsThread.id());
                    Coop.sleep(everyMillis);
                }
            });
        }

        int stop() {
            greenlet.kill();
            return ticks.get();
        }
    }

    @Test
    void fiveSleepsOfHalfASecondOverlap() {
        Coop.run(() -> {
            String hub = OsThread.id();
            Ticker ticker = new Ticker(50);
            List<Greenlet<Subprocess.Result>> gs = new ArrayList<>();
            Elapsed e = new Elapsed();
            for (int i = 0; i < 5; i++) gs.add(Coop.spawn(() -> Subprocess.start("sleep", "0.5").communicate()));
            Coop.joinAll(gs);
            long took = e.millis();
            int ticks = ticker.stop();
            for (Greenlet<Subprocess.Result> g : gs) assertEquals(0, g.value().exitCode(), g.toString());
            // one after another they would take 2.5 s
            assertTrue(took >= 450 && took < 1500, "five `sleep 0.5` took " + took + " ms");
            // a hub blocked for the wait would tick once; 3 needs two 50 ms sleeps in 500 ms (10 expected)
            assertTrue(ticks >= 3, "the ticker ticked " + ticks + " times in " + took + " ms");
            assertEquals(Set.of(hub), ticker.threads, "every greenlet ran on the hub thread");
            return null;
        });
    }

    @Test
    void communicateFeedsInputAndCollectsBothOutputs() {
        Coop.run(() -> {
            Subprocess.Result r = Subprocess.start("sh", "-c", "cat; echo oops >&2; exit 3")
                    .communicate("hello\nworld\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
            assertEquals(3, r.exitCode());
            assertEquals("hello\nworld\n", r.stdoutText());
            assertEquals("oops\n", r.stderrText());

            // more than a pipe holds, both ways at once: needs stdin written while stdout is read
            byte[] big = new byte[3 << 20];
            new Random(42).nextBytes(big);
            Ticker ticker = new Ticker(10);
            Subprocess.Result echoed = Subprocess.start("cat").communicate(big, Duration.ofSeconds(30));
            int ticks = ticker.stop();
            assertEquals(0, echoed.exitCode());
            assertArrayEquals(big, echoed.stdout());
            assertEquals(0, echoed.stderr().length);
            assertTrue(ticks >= 1, "ticks " + ticks);

            // no input: stdin is closed at once, so a reader of stdin ends
            Subprocess.Result wc = Subprocess.start("wc", "-c").communicate(null, Duration.ofSeconds(10));
            assertEquals("0", wc.stdoutText().strip());
            return null;
        });
    }

    @Test
    void outputIsReadWhileTheHubKeepsRunning() {
        Coop.run(() -> {
            Ticker ticker = new Ticker(20);
            Elapsed e = new Elapsed();
            Subprocess.Result r = Subprocess.start("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; sleep 0.1; done")
                    .communicate(null, Duration.ofSeconds(10));
            long took = e.millis();
            int ticks = ticker.stop();
            assertEquals("line 1\nline 2\nline 3\nline 4\nline 5\n", r.stdoutText());
            // a hub blocked for the wait would tick once; 3 needs two 20 ms sleeps in 500 ms (25 expected)
            assertTrue(ticks >= 3, "the ticker ticked " + ticks + " times in " + took + " ms");
            return null;
        });
    }

    @Test
    void communicateTimesOutAndLosesNothing() {
        Coop.run(() -> {
            // exec: the shell becomes the sleep, so killing it leaves no grandchild holding the pipes open
            Subprocess p = Subprocess.start("sh", "-c", "echo before; exec sleep 5");
            Elapsed e = new Elapsed();
            Timeout t = assertThrows(Timeout.class, () -> p.communicate(null, Duration.ofMillis(300)));
            long took = e.millis();
            assertTrue(took >= 280 && took < 1500, "timed out after " + took + " ms");
            assertTrue(t.getMessage().contains("300 ms"), t.getMessage());
            assertTrue(p.isAlive(), "a timeout leaves the process running");
            assertThrows(IllegalStateException.class, p::exitCode);
            assertThrows(IllegalStateException.class, () -> p.communicate("more".getBytes(), null), "stdin is closed");
            p.kill();
            Subprocess.Result r = p.communicate(null, Duration.ofSeconds(10));
            assertEquals("before\n", r.stdoutText(), "what it printed before the timeout is kept");
            assertEquals(137, r.exitCode(), "SIGKILL: 128 + 9");
            assertEquals(137, p.exitCode());
            assertFalse(p.isAlive());
            return null;
        });
    }

    @Test
    void waitForWithAndWithoutTimeout() {
        Coop.run(() -> {
            Subprocess slow = Subprocess.start("sleep", "5");
            Elapsed e = new Elapsed();
            assertFalse(slow.waitFor(Duration.ofMillis(200)));
            assertTrue(e.millis() >= 180 && e.millis() < 1200, "waited " + e.millis() + " ms");
            slow.terminate();
            assertEquals(143, slow.waitFor(), "SIGTERM: 128 + 15");
            assertTrue(slow.waitFor(Duration.ZERO), "an exited process needs no wait");

            Subprocess seven = Subprocess.start("sh", "-c", "exit 7");
            assertTrue(seven.waitFor(Duration.ofSeconds(10)));
            assertEquals(7, seven.exitCode());
            assertEquals(7, seven.waitFor());
            assertTrue(seven.toString().contains("exited 7"), seven.toString());

            assertEquals(0, Subprocess.start("true").waitFor());
            assertEquals(1, Subprocess.start("false").waitFor());
            assertThrows(IllegalArgumentException.class, () -> seven.waitFor(Duration.ofMillis(-1)));
            return null;
        });
    }

    @Test
    void anyJdkProcessCanBeAwaitedCooperatively() throws Exception {
        Process jdk = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 5").start();
        Coop.run(() -> {
            Ticker ticker = new Ticker(20);
            Elapsed e = new Elapsed();
            assertFalse(Subprocess.waitFor(jdk, Duration.ofMillis(50)));
            assertTrue(Subprocess.waitFor(jdk, null));
            long took = e.millis();
            int ticks = ticker.stop();
            assertTrue(took >= 250 && took < 1500, "took " + took + " ms");
            assertTrue(ticks >= 3, "ticks " + ticks + " (a hub blocked for the wait ticks once; 15 expected)");
            assertEquals(5, jdk.exitValue());
            assertTrue(Subprocess.waitFor(jdk, Duration.ZERO));
            return null;
        });
        // the only greenlet waiting for a process is no LoopExit
        Process alone = new ProcessBuilder("sleep", "0.2").start();
        assertTrue(Coop.run(() -> Subprocess.waitFor(alone, null)));
    }

    @Test
    void runKillsWhatOutlivesItsTimeout() {
        Coop.run(() -> {
            assertEquals("hi\n", Subprocess.run(Duration.ofSeconds(10), "echo", "hi").stdoutText());
            Elapsed e = new Elapsed();
            assertThrows(Timeout.class, () -> Subprocess.run(Duration.ofMillis(200), "sleep", "10"));
            assertTrue(e.millis() < 2000, "run returned after " + e.millis() + " ms: the child was killed, not awaited");
            ProcessBuilder pb = new ProcessBuilder("tr", "a-z", "A-Z");
            assertEquals("SHOUT", Subprocess.run(pb, "shout".getBytes(), Duration.ofSeconds(10)).stdoutText());
            return null;
        });
    }

    @Test
    void aMissingProgramFailsWithTheJdksMessage() {
        String jdkMessage;
        try {
            new ProcessBuilder("no-such-program-coop").start();
            throw new AssertionError("started?");
        } catch (IOException e) {
            jdkMessage = e.getMessage();
        }
        String expected = jdkMessage;
        Coop.run(() -> {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Subprocess.start("no-such-program-coop"));
            assertEquals(expected, e.getMessage());
            assertEquals(expected, e.getCause().getMessage());
            assertThrows(IllegalArgumentException.class, () -> Subprocess.start(List.of()));
            assertThrows(NullPointerException.class, () -> Subprocess.start((ProcessBuilder) null));
            return null;
        });
    }

    @Test
    void waitingForAProcessIsNotALoopExit() {
        Elapsed e = new Elapsed();
        // the body is the only greenlet; only the child's exit can wake it
        int code = Coop.run(() -> Subprocess.start("sh", "-c", "sleep 0.3; exit 4").waitFor());
        assertEquals(4, code);
        assertTrue(e.millis() >= 280, "took " + e.millis());
        // and once it has exited, nothing is held: a wait that can never end is a LoopExit again
        assertThrows(LoopExit.class, () -> Coop.run(() -> {
            Subprocess.start("true").communicate();
            return new Waiter<Void>("nothing").await();
        }));
    }

    @Test
    void theSeedsCron() {
        // gevent's tutorial: a cron greenlet prints while `sleep 1; uname` runs, then is killed
        Coop.run(() -> {
            List<String> printed = new ArrayList<>();
            Greenlet<?> cron = Coop.spawn(() -> {
                while (true) {
                    printed.add("cron");
                    Coop.sleep(200);
                }
            });
            Subprocess sub = Subprocess.start("sh", "-c", "sleep 1; uname");
            Subprocess.Result r = sub.communicate();
            cron.kill();
            printed.add(r.stdoutText().strip());
            assertEquals("Linux", printed.get(printed.size() - 1));
            long crons = printed.stream().filter("cron"::equals).count();
            assertTrue(crons >= 4 && crons <= 7, "cron printed " + crons + " times during a 1 s child: " + printed);
            return null;
        });
    }

    @Test
    void aCronGreenletRunsASubprocessPeriodically() {
        // four runs, not "as many as fit in 700 ms", and the gaps from this JVM's monotonic clock,
        // not from the children's wall-clock output: nothing depends on the machine's speed or clock
        Coop.run(() -> {
            List<Long> ranAt = new ArrayList<>();
            List<Long> pids = new ArrayList<>();
            Greenlet<?> cron = Coop.spawn(() -> {
                for (int i = 0; i < 4; i++) {
                    if (i > 0) Coop.sleep(100);
                    Subprocess p = Subprocess.start("date", "+%s%N");
                    Subprocess.Result r = p.communicate(null, Duration.ofSeconds(10));
                    assertEquals(0, r.exitCode());
                    assertTrue(r.stdoutText().strip().matches("\\d+"), r.stdoutText());
                    ranAt.add(System.nanoTime() / 1_000_000);
                    pids.add(p.pid());
                }
            });
            Ticker ticker = new Ticker(10);
            cron.join();
            int ticks = ticker.stop();
            assertTrue(cron.isSuccessful(), () -> "the cron greenlet failed: " + cron.exception());
            assertEquals(4, ranAt.size());
            assertEquals(4, new HashSet<>(pids).size(), "a new process each time");
            for (int i = 1; i < ranAt.size(); i++) {
                long gap = ranAt.get(i) - ranAt.get(i - 1);
                assertTrue(gap >= 90, "runs " + gap + " ms apart, less than the cron's 100 ms sleep: " + ranAt);
            }
            // a hub blocked while the processes ran would tick once; 3 needs two 10 ms sleeps in 300+ ms
            assertTrue(ticks >= 3, "the other greenlet ticked " + ticks + " times");
            return null;
        });
    }

    @Test
    void pipesAreReadOnCoopProcessThreads() {
        Coop.run(() -> {
            Subprocess.start("true").communicate();
            assertEquals("coop-process", Subprocess.pipes().name());
            assertTrue(Subprocess.pipes().threadCount() >= 1);
            return null;
        });
    }
}
