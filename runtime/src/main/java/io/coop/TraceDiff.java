package io.coop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares two traces written with {@code coop.trace} and tells where they first part: the two
 * runs interleaved the same way up to that switch. Exit status 0 when the traces are the same,
 * 1 when they differ, 2 on bad use.
 *
 * <pre>{@code
 * java -cp coop.jar io.coop.TraceDiff run-a.trace run-b.trace
 * }</pre>
 */
public final class TraceDiff {
    /** Lines of context shown before the first difference. */
    private static final int CONTEXT = 3;

    private TraceDiff() {
    }

    /**
     * The first difference between two traces, or null when they are the same.
     *
     * @param line the 1-based line number where they part
     * @param before up to {@value #CONTEXT} lines both traces share just before it
     * @param left the line of the first trace there, or null where it ended
     * @param right the line of the second trace there, or null where it ended
     */
    public record Divergence(long line, java.util.List<String> before, String left, String right) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("the traces part at line ").append(line).append(":\n");
            for (String b : before) sb.append("    ").append(b).append('\n');
            sb.append("  < ").append(left == null ? "(first trace ends)" : left).append('\n');
            sb.append("  > ").append(right == null ? "(second trace ends)" : right).append('\n');
            return sb.toString();
        }
    }

    /** The first line where the traces in {@code a} and {@code b} differ, or null if they are identical. */
    public static Divergence compare(Path a, Path b) throws IOException {
        try (BufferedReader ra = Files.newBufferedReader(a, StandardCharsets.UTF_8);
                BufferedReader rb = Files.newBufferedReader(b, StandardCharsets.UTF_8)) {
            java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>(CONTEXT);
            long n = 0;
            for (;;) {
                String la = ra.readLine();
                String lb = rb.readLine();
                n++;
                if (la == null && lb == null) return null;
                if (la == null || !la.equals(lb)) return new Divergence(n, java.util.List.copyOf(recent), la, lb);
                if (recent.size() == CONTEXT) recent.removeFirst();
                recent.addLast(la);
            }
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: java -cp coop.jar io.coop.TraceDiff FIRST.trace SECOND.trace");
            return 2;
        }
        try {
            Divergence d = compare(Path.of(args[0]), Path.of(args[1]));
            if (d == null) {
                out.println("the traces are the same");
                return 0;
            }
            out.print(d);
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("cannot read the traces: " + e.getMessage());
            return 2;
        }
    }
}
