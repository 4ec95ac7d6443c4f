package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/hubs.md. */
class HubsExamplesTest {

    @Test
    void hubsWork() throws Exception {
        List<String> lines = Captured.run(HubsWork::main).lines();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("part 0: 3 greenlets on coop-hub-\\d+"), lines.toString());
        assertTrue(lines.get(1).matches("part 1: 3 greenlets on coop-hub-\\d+"), lines.toString());
        assertTrue(!lines.get(0).substring(lines.get(0).indexOf("coop-hub")).equals(lines.get(1).substring(lines.get(1).indexOf("coop-hub"))),
                "two hubs, two threads: " + lines);
        assertTrue(lines.get(2).startsWith("another hub's Event: Event.await must be called on the hub thread "), lines.toString());
        assertTrue(lines.get(3).matches("set from coop-hub-\\d+, seen on .+"), lines.toString());
    }
}
