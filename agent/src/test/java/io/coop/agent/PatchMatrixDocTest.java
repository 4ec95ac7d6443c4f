package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * docs/patches.md's patch matrix names the JDK methods the patches weave and redirect as the code
 * does: docs/tools/RefreshPatchMatrix.java, run with {@code --check}, finds nothing to change.
 */
class PatchMatrixDocTest {

    @Test
    void thePatchMatrixIsFresh() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path tool = root.resolve("docs/tools/RefreshPatchMatrix.java");
        Path page = root.resolve("docs/patches.md");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), tool.toString(), "--check", page.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(true, Files.readString(page).contains("<!-- patch-matrix -->"));
    }
}
