package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/11-groups-and-pools.md. */
class GroupExamplesTest {

    @Test
    void groupJoin() throws Exception {
        assertEquals(List.of("bar", "bar", "bar", "foo", "foo", "foo", "fizz", "fizz", "fizz"),
                Captured.run(GroupJoin::main).lines());
    }

    @Test
    void groupMap() throws Exception {
        Captured out = Captured.run(GroupMap::main);
        List<String> lines = out.lines();
        assertEquals(14, lines.size(), out.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals("Size of group 3", lines.get(2 * i));
            assertTrue(lines.get(2 * i + 1).startsWith("Hello from Greenlet Greenlet-"), lines.get(2 * i + 1));
        }
        assertEquals(3, lines.subList(0, 6).stream().filter(l -> l.startsWith("Hello")).distinct().count());
        assertEquals(List.of("Ordered", "[task, 0]", "[task, 1]", "[task, 2]",
                "Unordered", "[task, 2]", "[task, 1]", "[task, 0]"), lines.subList(6, 14));
        // imap: all three run at once, so task 0 (3 s) comes at 3 s and the others right after it
        Timing.within(out.at("[task, 0]"), 2950, 4500);
        Timing.within(out.at("[task, 2]") - out.at("[task, 0]"), 0, 1000);   // one at a time: 3 s more
        // imapUnordered: task 2 after 1 s, task 1 after 2 s, task 0 after 3 s
        long unordered = out.at("Unordered");
        Timing.within(out.at(11) - unordered, 950, 2000);
        Timing.within(out.at(13) - unordered, 2950, 4500);
    }

    @Test
    void poolSize() throws Exception {
        assertEquals(List.of("Size of pool 2", "Size of pool 2", "Size of pool 1"), Captured.run(PoolSize::main).lines());
    }

    @Test
    void groupSpawnsMore() throws Exception {
        assertEquals(Collections.nCopies(100, "b"), Captured.run(GroupSpawnsMore::main).lines());
    }

    @Test
    void socketPool() throws Exception {
        List<String> lines = Captured.run(SocketPool::main).lines();
        assertEquals(List.of("handler added for client 0", "handler added for client 1",
                "client 2 refused: At maximum pool size", "received: hello from client 0",
                "received: hello from client 1", "pool size after shutdown: 0"), lines);
    }
}
