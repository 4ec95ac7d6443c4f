package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on NIO event loops under {@code -javaagent:coop.jar} with every area patched: an HttpCore 5
 * async server and an HttpClient 5 async client in one unmodified program, both on their own
 * selector-loop threads (greenlets here). 100 handshakes at once, then 2,000 requests on the
 * pooled connections. A selector that finds keys ready at every turn must still let the other
 * loop, and the threads waiting for answers, run. The same program without the agent answers the
 * same and gives the figures to compare.
 */
class AsyncTlsIT {
    private static final int THREADS = 100;
    private static final int PER_THREAD = 20;

    @Test
    void httpCoreAsyncServerAndClientOverTlsOnOneOsThread(@TempDir Path dir) throws Exception {
        System.out.println("[coop-it] AsyncTlsIT: HttpCore 5 async server and HttpClient 5 async client over TLS in one program");
        Path keystore = dir.resolve("server.p12");
        String password = "coop-it-secret";
        keytool(keystore, password);
        String[] args = {keystore.toString(), password, String.valueOf(THREADS), "200", String.valueOf(PER_THREAD)};
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.AsyncTlsApp", args), "apps.AsyncTlsApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.AsyncTlsApp", args), "apps.AsyncTlsApp (no agent)");
        Apps.printFigures("HttpCore 5 async TLS", r, plain,
                "startMs", "handshakeRoundMs", "requestsPerSecond", "osThreads", "processOsThreads", "stopMs");
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals(String.valueOf(THREADS * (1 + PER_THREAD)), run.field("right"), run::toString);
            assertEquals(String.valueOf(THREADS * (1 + PER_THREAD)), run.field("served"), run::toString);
            assertEquals("TLSv1.3", run.field("protocol"), run::toString);
        }
        Apps.assertSameResponses(r, plain);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        assertEquals("none", r.field("reactorOsThreads"), () -> "both reactors' threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        // 100 handshakes (both ends' CPU work on one OS thread) and a 200 ms answer each; serial answers alone: 20 s
        Apps.assertWithin(r, "handshakeRoundMs", 195, 10_000, "100 TLS handshakes and 200 ms answers overlap");
        Apps.assertWithin(r, "fastRoundMs", 0, 15_000, "2,000 requests on pooled TLS connections");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "client and server close");
    }

    static void keytool(Path keystore, String password) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), () -> "keytool: " + out);
        assertEquals(true, Files.size(keystore) > 0);
    }
}
