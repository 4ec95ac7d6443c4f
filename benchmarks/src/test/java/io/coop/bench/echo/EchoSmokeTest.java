package io.coop.bench.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One second of echo load against each Java server of figure 4 (in this JVM, on a daemon
 * thread): every server echoes, the client counts round trips and percentiles. The full
 * comparison is {@code benchmarks/run.sh --echo}.
 */
class EchoSmokeTest {

    @ParameterizedTest
    @ValueSource(strings = {"coop", "coop-nio", "netty", "vertx", "platform", "virtual"})
    void serverEchoesUnderLoad(String kind) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Thread server = new Thread(() -> {
            try {
                EchoServer.main(new String[] {kind, Integer.toString(port)});
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "echo-" + kind);
        server.setDaemon(true);
        server.start();
        waitForPort(port);

        EchoLoad.Result r = EchoLoad.run(port, 20, 64, 0.2, 1.0);

        assertEquals(20, r.conns());
        assertTrue(r.roundTrips() > 100, "too few round trips: " + r);
        assertTrue(r.p50us() >= 0 && r.p99us() >= r.p50us(), "percentiles out of order: " + r);
    }

    private static void waitForPort(int port) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) throw e;
                Thread.sleep(50);
            }
        }
    }
}
