package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/08-monkey-patching.md, without the agent: greenlets are virtual threads, so the JDK's
 * blocking calls made in them already wait without holding the hub thread. The same programs
 * under -javaagent are in {@code AgentExamplesIT}.
 */
class MonkeyPatchingExamplesTest {

    @Test
    void threadSleepInGreenlets() throws Exception {
        Captured out = Captured.run(ThreadSleepInGreenlets::main);
        assertEquals(List.of("eat food 1 (eat)", "play 1 (play)", "play 2", "eat food 2", "main"), out.lines());
        Timing.within(out.at("play 2"), 950, 2000);
        Timing.within(out.at("eat food 2"), 1950, 3500);   // overlapped: 2 s, not 3 s
    }

    @Test
    void resolveHosts() throws Exception {
        Captured out = Captured.run(ResolveHosts::main);
        assertEquals(List.of("[127.0.0.1, 127.0.0.1, 127.0.0.1]"), out.lines());   // localhost, this host's name, a literal
    }

    /** The URL with the port of the local stand-in replaced by PORT. */
    static List<String> withoutPort(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")).toList();
    }

    @Test
    void fetchUrls() throws Exception {
        Captured out = Captured.run(FetchUrls::main);
        checkFetchUrls(out.lines());
        // the pages take 0.3, 0.2 and 0.25 s: fetched at once, about 0.3 s, not 0.75 s
        Timing.within(out.at(5) - out.at(0), 250, 700);
    }

    static void checkFetchUrls(List<String> printed) {
        List<String> lines = withoutPort(printed);
        assertEquals(List.of("GET: http://127.0.0.1:PORT/www.python.org/", "GET: http://127.0.0.1:PORT/www.yahoo.com/",
                "GET: http://127.0.0.1:PORT/github.com/"), lines.subList(0, 3));
        assertEquals(List.of("50463 bytes received from http://127.0.0.1:PORT/www.python.org/.",
                        "60211 bytes received from http://127.0.0.1:PORT/github.com/.",
                        "93710 bytes received from http://127.0.0.1:PORT/www.yahoo.com/."),
                lines.subList(3, 6).stream().sorted().toList());
        assertTrue(lines.get(6).matches("run time is \\d\\.\\d s"), lines.get(6));
        assertEquals(7, lines.size());
    }

    @Test
    void statusCodes() throws Exception {
        checkStatusCodes(Captured.run(StatusCodes::main).lines());
    }

    static void checkStatusCodes(List<String> printed) {
        List<String> lines = withoutPort(printed);
        assertEquals(List.of(
                "http://127.0.0.1:PORT/www.baidu.com/ 200 2381",       // 0.1 s
                "http://127.0.0.1:PORT/www.cnblogs.com/ 200 71920",    // 0.15 s
                "http://127.0.0.1:PORT/www.python.org/ 200 50463"),    // 0.3 s
                lines);
    }

    @Test
    void postRequests() throws Exception {
        checkPostRequests(Captured.run(PostRequests::main).lines());
    }

    static void checkPostRequests(List<String> lines) {
        assertEquals(Collections.nCopies(6, "{\"tags\":[\"hot\",\"latest\",\"classic\",\"playable\",\"top rated\"]}"), lines);
    }

    @Test
    void downloadImages(@TempDir Path dir) throws Exception {
        checkDownloadImages(Captured.run(DownloadImages::main, dir.toString()).lines(), dir);
    }

    static void checkDownloadImages(List<String> lines, Path dir) throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 4; i++) expected.add("saved " + i + ".jpg (" + i * 1024 + " bytes)");
        assertEquals(expected, lines);   // image i takes 0.1 + 0.05 i s
        for (int i = 1; i <= 4; i++) assertEquals(i * 1024L, Files.size(dir.resolve(i + ".jpg")));
    }

    @Test
    void doneCallbacks() throws Exception {
        checkDoneCallbacks(Captured.run(DoneCallbacks::main).lines());
    }

    static void checkDoneCallbacks(List<String> printed) {
        List<String> lines = withoutPort(printed);
        assertEquals(1 + 9 + 9, lines.size(), lines.toString());
        assertEquals("main greenlet main", lines.get(0));
        List<String> gets = lines.subList(1, 10);
        for (int i = 0; i < 8; i++) assertTrue(gets.get(i).matches("Greenlet-\\d+ GET http://127.0.0.1:PORT/www.baidu.com/"), gets.get(i));
        assertTrue(gets.get(8).matches("Greenlet-\\d+ GET http://127.0.0.1:PORT/www.python.org/"), gets.get(8));
        List<String> parsed = lines.subList(10, 19);
        assertEquals(8, parsed.stream().filter(l -> l.matches("Greenlet-\\d+ parse result: 2381")).count(), parsed.toString());
        assertEquals(1, parsed.stream().filter(l -> l.matches("Greenlet-\\d+ parse result: 50463")).count(), parsed.toString());
    }
}
