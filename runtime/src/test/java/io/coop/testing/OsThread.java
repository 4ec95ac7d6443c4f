package io.coop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The OS thread the caller runs on, as the kernel names it: /proc/thread-self -> "pid/task/tid". */
public final class OsThread {
    private OsThread() {
    }

    public static String id() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
