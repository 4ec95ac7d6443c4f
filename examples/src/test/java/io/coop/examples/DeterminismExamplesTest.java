package io.coop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/03-determinism.md. */
class DeterminismExamplesTest {

    @Test
    void poolDeterminism() throws Exception {
        List<String> lines = Captured.run(PoolDeterminism::main).lines();
        assertEquals(2, lines.size(), lines.toString());
        // OS threads: usually false, but four equal runs can happen by chance
        assertTrue(lines.get(0).equals("false") || lines.get(0).equals("true"), lines.toString());
        assertEquals("true", lines.get(1));   // the coop pool: always the same order
    }
}
