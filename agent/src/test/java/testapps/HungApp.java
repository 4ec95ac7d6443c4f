package testapps;

import io.coop.testsupport.Probe;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * A program whose standard error (its log included) is collected and sent on every 20 ms by a
 * thread of its own, as a test runner's forked JVM does with its output, and a thread that
 * computes without ever waiting for 4 s and then ends the process at once, as a runner's time
 * limit would: what is still collected is lost. On one hub the sender never runs during the hold.
 */
public class HungApp {
    static volatile long sink;

    /** What the program writes, kept until the sender takes it. */
    static final class Collected extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized byte[] take() {
            byte[] b = bytes.toByteArray();
            bytes.reset();
            return b;
        }
    }

    public static void main(String[] args) throws Exception {
        Probe.start();
        Collected collected = new Collected();
        System.setErr(new PrintStream(collected, true));
        Logger root = Logger.getLogger(""); // the log goes there too
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        root.addHandler(new ConsoleHandler()); // writes to System.err as it is now
        FileOutputStream standardError = new FileOutputStream(FileDescriptor.err);
        Thread sender = new Thread(() -> {
            while (true) {
                Probe.sleep(20);
                try {
                    standardError.write(collected.take());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "err-sender");
        sender.setDaemon(true);
        sender.start();
        Thread hung = new Thread(() -> {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) sink++;
            Runtime.getRuntime().halt(0);
        }, "hung");
        Probe.sleep(100); // the sender is waiting
        hung.start();
        hung.join();
    }
}
