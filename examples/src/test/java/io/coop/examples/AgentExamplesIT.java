package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples that need the agent (docs/08-monkey-patching.md, docs/17-servers.md), each in a
 * JVM of its own under {@code -javaagent:agent/target/coop.jar} (or with coop.jar on the class
 * path for {@code Monkey.patchAll()}), checked against what the seeds print. Run by failsafe
 * after packaging ({@code ./mvnw verify -pl examples -am}).
 */
class AgentExamplesIT {
    static String coopJar;
    static String examples;

    /** The flags of every agent run: no blocking-monitor reports on a loaded machine (they go to stderr anyway). */
    static final List<String> QUIET = List.of("-Dcoop.monitor=false");

    @BeforeAll
    static void paths() {
        coopJar = System.getProperty("coop.jar", "../agent/target/coop.jar");
        examples = System.getProperty("examples.classes", "target/classes");
        assertTrue(Files.isRegularFile(Path.of(coopJar)), "no " + coopJar + ": build the agent first (./mvnw verify -pl examples -am)");
    }

    /** Runs {@code example} under -javaagent and returns its stdout, after checking that it ended with status 0. */
    static List<String> underAgent(Class<?> example, String... args) throws Exception {
        try (ChildJvm jvm = agent(example, args)) {
            int exit = jvm.waitFor(60);
            assertEquals(0, exit, "stdout:\n" + String.join("\n", jvm.stdout()) + "\nstderr:\n" + jvm.stderr());
            return jvm.stdout();
        }
    }

    static ChildJvm agent(Class<?> example, String... args) throws Exception {
        List<String> flags = new ArrayList<>(QUIET);
        flags.add("-javaagent:" + coopJar);
        return ChildJvm.startWith(examples, flags, example.getName(), args);
    }

    /** The README demo's last part: the unmodified blocking program under the agent. */
    @Test
    void blockingServerAppRunsOnOneOsThread() throws Exception {
        List<String> out = underAgent(plainapp.BlockingServerApp.class);
        String all = String.join("\n", out);
        Matcher answered = Pattern.compile("(\\d+) of 100 clients answered .* in (\\d+) ms").matcher(all);
        assertTrue(answered.find(), all);
        assertEquals("100", answered.group(1), all);
        long ms = Long.parseLong(answered.group(2));
        assertTrue(ms >= 195 && ms < 5000, () -> "100 answers that each wait 200 ms overlap: " + all);
        assertTrue(all.contains("ran on 1 OS thread(s)"), all);
    }

    @Test
    void fetchJsonTime() throws Exception {
        SynchronousAsynchronousExamplesTest.checkFetchJsonTime(underAgent(FetchJsonTime.class));
    }

    @Test
    void fetchUrls() throws Exception {
        MonkeyPatchingExamplesTest.checkFetchUrls(underAgent(FetchUrls.class));
    }

    @Test
    void statusCodes() throws Exception {
        MonkeyPatchingExamplesTest.checkStatusCodes(underAgent(StatusCodes.class));
    }

    @Test
    void postRequests() throws Exception {
        MonkeyPatchingExamplesTest.checkPostRequests(underAgent(PostRequests.class));
    }

    @Test
    void downloadImages(@TempDir Path dir) throws Exception {
        MonkeyPatchingExamplesTest.checkDownloadImages(underAgent(DownloadImages.class, dir.toString()), dir);
    }

    @Test
    void doneCallbacks() throws Exception {
        MonkeyPatchingExamplesTest.checkDoneCallbacks(underAgent(DoneCallbacks.class));
    }

    @Test
    void monkeyPatchBeforeAfter() throws Exception {
        List<String> flags = new ArrayList<>(QUIET);
        flags.add("-XX:+EnableDynamicAgentLoading");
        try (ChildJvm jvm = ChildJvm.startWith(examples + File.pathSeparator + coopJar, flags, MonkeyPatchBeforeAfter.class.getName())) {
            assertEquals(0, jvm.waitFor(60), jvm.stderr());
            assertEquals(List.of(
                    "class sun.nio.ch.SocketChannelImpl",
                    "class sun.nio.ch.EPollSelectorImpl",
                    "patched areas: []",
                    "new Thread(...) runs on a java.lang.Thread, on an OS thread of its own",
                    "After monkey patch",
                    "class sun.nio.ch.SocketChannelImpl",
                    "class sun.nio.ch.EPollSelectorImpl",
                    "patched areas: [time, thread, socket, select, dns, subprocess]",
                    "new Thread(...) runs on a java.lang.VirtualThread, on main's OS thread"), jvm.stdout(), jvm.stderr());
        }
    }

    /** The echo server under the agent, with its port. */
    static final class EchoServer implements AutoCloseable {
        final ChildJvm jvm;
        final int port;

        EchoServer() throws Exception {
            jvm = agent(ThreadedEchoServer.class, "0");
            assertTrue(jvm.awaitLine("Serving on port ", 30_000), jvm.stderr());
            port = Integer.parseInt(jvm.stdout().get(0).substring("Serving on port ".length()));
        }

        @Override
        public void close() throws Exception {
            jvm.process.toHandle().destroy();
            jvm.waitFor(30);
        }
    }

    @Test
    void fiveHundredClientThreadsOnOneOsThread() throws Exception {
        try (EchoServer server = new EchoServer()) {
            List<String> lines = underAgent(ThreadedEchoClients.class, String.valueOf(server.port), "500", "3");
            assertEquals(1501, lines.size(), () -> String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            assertEquals("500 clients done; OS threads that ran them: 1", lines.get(1500));
            // each client got its three answers, in upper case and in order
            Pattern reply = Pattern.compile("THREAD-(\\d+) SAY HELLO (\\d)");
            Map<String, Integer> next = new HashMap<>();
            for (String l : lines.subList(0, 1500)) {
                Matcher m = reply.matcher(l);
                assertTrue(m.matches(), l);
                int expected = next.getOrDefault(m.group(1), 0);
                assertEquals(expected, Integer.parseInt(m.group(2)), l);
                next.put(m.group(1), expected + 1);
            }
            assertEquals(500, next.size());
            // the server printed every message it got (give its output a moment to arrive)
            long end = System.nanoTime() + 10_000_000_000L;
            while (server.jvm.stdout().size() < 1501 && System.nanoTime() < end) Thread.sleep(50);
            List<String> served = server.jvm.stdout().subList(1, server.jvm.stdout().size());
            assertEquals(1500, served.size());
            for (String l : served) assertTrue(l.matches("client 127\\.0\\.0\\.1:\\d+ msg: Thread-\\d+ say hello \\d"), l);
        }
    }

    @Test
    void interactiveEchoClient() throws Exception {
        try (EchoServer server = new EchoServer();
             ChildJvm client = agent(EchoClient.class, String.valueOf(server.port))) {
            try (OutputStream keyboard = client.process.getOutputStream()) {
                keyboard.write("hello\n\ncoop\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(0, client.waitFor(60), client.stderr());
            assertEquals(List.of(">>: HELLO", ">>: >>: COOP", ">>: "), client.stdout());
        }
    }
}
