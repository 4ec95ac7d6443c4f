package io.coop.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an example printed on System.out while it ran in this JVM, line by line, each line with
 * the time it was completed (milliseconds since the example started).
 */
final class Captured {

    /** An example's main method. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    record Line(long atMillis, String text) {
        @Override
        public String toString() {
            return String.format("%6d ms  %s", atMillis, text);
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private long elapsedMillis;

    /** Runs {@code main} with {@code args}, capturing System.out; the example's output is echoed afterwards for the log. */
    static Captured run(Main main, String... args) throws Exception {
        Captured c = new Captured();
        PrintStream saved = System.out;
        long t0 = System.nanoTime();
        LineSink sink = new LineSink(c, t0);
        try (PrintStream capture = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            main.run(args);
            capture.flush();
        } finally {
            System.setOut(saved);
            c.elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        sink.flushPartial();
        for (Line l : c.lines) saved.println(l);
        saved.println(String.format("%6d ms  (ended)", c.elapsedMillis));
        return c;
    }

    /** The printed lines, in order. */
    List<String> lines() {
        return lines.stream().map(Line::text).toList();
    }

    List<Line> timed() {
        return List.copyOf(lines);
    }

    /** When the first line equal to {@code text} was printed (ms since the start); fails if it never was. */
    long at(String text) {
        for (Line l : lines) if (l.text.equals(text)) return l.atMillis;
        throw new AssertionError("'" + text + "' was not printed; output:\n" + this);
    }

    /** When the {@code index}th line (from 0) was printed. */
    long at(int index) {
        return lines.get(index).atMillis;
    }

    long elapsedMillis() {
        return elapsedMillis;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l).append('\n');
        return sb.toString();
    }

    /** Splits what is written into lines and stamps each with the time its newline arrived. */
    private static final class LineSink extends OutputStream {
        private final Captured target;
        private final long t0;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        LineSink(Captured target, long t0) {
            this.target = target;
            this.t0 = t0;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String s = current.toString(StandardCharsets.UTF_8);
                if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
                target.lines.add(new Line((System.nanoTime() - t0) / 1_000_000, s));
                current.reset();
            } else {
                current.write(b);
            }
        }

        synchronized void flushPartial() {
            if (current.size() > 0) {
                target.lines.add(new Line((System.nanoTime() - t0) / 1_000_000, current.toString(StandardCharsets.UTF_8)));
                current.reset();
            }
        }
    }
}
