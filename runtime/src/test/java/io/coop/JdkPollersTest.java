package io.coop;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without the agent, a greenlet that blocks on a socket parks in the JDK's own poller. The JDK
 * makes its pollers on first use, and in its VTHREAD_POLLERS mode (Linux's default) they are
 * virtual threads of the scheduler of the thread that first blocked: were that a greenlet, they
 * would live on its hub and stop with it, and every later socket wait of every virtual thread
 * in the JVM would hang. Two hubs, one after the other on two threads, each with a greenlet
 * whose blocking read must park: the second must be woken as the first was. In a fresh JVM, so
 * that the first blocking socket call of the JVM is a greenlet's (in the test JVM some other test
 * may have made the pollers first).
 */
class JdkPollersTest {
    @Test
    void aGreenletThatBlocksFirstOnASocketDoesNotTieTheJdkPollersToItsHub() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = Files.createTempFile("coop-pollers-", ".out");
        Path err = Files.createTempFile("coop-pollers-", ".err");
        try {
            Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), TwoHubs.class.getName())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS); // a bound only for the failure: a hang
            if (!ended) p.destroyForcibly().waitFor();
            String printed = Files.readString(out);
            assertTrue(ended, "a blocking read was never woken; stdout:\n" + printed + "stderr:\n" + Files.readString(err));
            assertEquals(0, p.exitValue(), "stderr:\n" + Files.readString(err));
            assertEquals(List.of("hub 0 read 1", "hub 1 read 2", "done"), printed.lines().toList());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The forked JVM: a blocking read that parks in a greenlet, on a fresh hub of a fresh thread, twice. */
    public static final class TwoHubs {
        public static void main(String[] args) throws Exception {
            for (int i = 0; i < 2; i++) {
                int n = i;
                Thread t = new Thread(() -> System.out.println("hub " + n + " read " + Coop.run(() -> parkedRead(n + 1))));
                t.start();
                t.join();
            }
            System.out.println("done");
        }

        /** Reads a byte that is written only once the reading greenlet has parked in the JDK poller. */
        static int parkedRead(int value) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel peer = server.accept()) {
                Greenlet<Integer> reader = Coop.spawn(() -> {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    if (peer.read(b) != 1) throw new IllegalStateException("no byte read");
                    return (int) b.get(0);
                });
                Coop.sleep(0); // the reader runs, finds nothing and parks
                if (reader.isReady()) throw new IllegalStateException("the read did not park: " + reader);
                client.write(ByteBuffer.wrap(new byte[] {(byte) value}));
                reader.join();
                if (!reader.isSuccessful()) throw new UncheckedIOException(new IOException(reader.exception()));
                return reader.value();
            }
        }
    }
}
