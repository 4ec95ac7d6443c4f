package io.coop.examples;

import io.coop.Coop;
import io.coop.net.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Tutorial: "Subprocess", multiprocessing with {@code wait_read}/{@code wait_write}: a relay on
 * another OS thread (the seed's {@code multiprocessing.Process}) reads messages from one pipe
 * and writes them, numbered, to another; two greenlets write to and read from the pipes, waiting
 * on the hub for each end to be ready ({@link Sockets#waitWrite}, {@link Sockets#waitRead}).
 * {@link java.nio.channels.Pipe} gives selectable ends, so the hub can watch them. Messages are
 * lines, since a pipe is a byte stream (the seed's pipes carried whole objects).
 */
public final class PipeRelay {

    /** The other side: a plain thread doing plain blocking reads and writes. */
    static void relay(Pipe.SourceChannel b, Pipe.SinkChannel c) {
        try (LineReader in = new LineReader(b); c) {
            for (int i = 0; i < 10; i++) {
                String msg = in.readLine();
                writeFully(c, msg + " in " + i + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void putMsg(Pipe.SinkChannel a) {
        try {
            for (int i = 0; i < 10; i++) {
                ByteBuffer msg = ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.UTF_8));
                while (msg.hasRemaining()) {
                    Sockets.waitWrite(a, null);
                    a.write(msg);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void getMsg(Pipe.SourceChannel d) {
        LineReader in = new LineReader(d);
        for (int i = 0; i < 10; i++) System.out.println(in.readLine());
    }

    public static void main(String[] args) throws IOException {
        Pipe toProcess = Pipe.open();      // a -> b
        Pipe fromProcess = Pipe.open();    // c -> d
        Thread proc = new Thread(() -> relay(toProcess.source(), fromProcess.sink()), "relay");
        proc.start();
        Coop.run(() -> {
            toProcess.sink().configureBlocking(false);
            fromProcess.source().configureBlocking(false);
            Coop.joinAll(List.of(
                    Coop.spawn(() -> getMsg(fromProcess.source())),
                    Coop.spawn(() -> putMsg(toProcess.sink()))),
                    Duration.ofSeconds(1));
            return null;
        });
        toProcess.sink().close();
        fromProcess.source().close();
    }

    static void writeFully(Pipe.SinkChannel c, String s) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) c.write(buf);
    }

    /**
     * Reads lines from a pipe end: blocking reads in blocking mode, and in non-blocking mode a
     * wait on the hub ({@code wait_read}) whenever nothing is there yet.
     */
    static final class LineReader implements AutoCloseable {
        private final Pipe.SourceChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(256);
        private final StringBuilder line = new StringBuilder();

        LineReader(Pipe.SourceChannel ch) {
            this.ch = ch;
            buf.flip();
        }

        String readLine() {
            try {
                while (true) {
                    while (buf.hasRemaining()) {
                        char c = (char) buf.get();
                        if (c == '\n') {
                            String s = line.toString();
                            line.setLength(0);
                            return s;
                        }
                        line.append(c);
                    }
                    buf.clear();
                    int n = ch.read(buf);
                    buf.flip();
                    if (n < 0) throw new IOException("pipe closed");
                    if (n == 0) Sockets.waitRead(ch, null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
