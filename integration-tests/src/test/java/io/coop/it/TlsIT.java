package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS under {@code -javaagent:coop.jar}: an SSLServerSocket server and 100 SSLSocket clients in
 * one unmodified program, with a key pair and self-signed certificate that the test makes with
 * the JDK's keytool.
 */
class TlsIT {
    @Test
    void hundredConcurrentTlsConnections(@TempDir Path dir) throws Exception {
        System.out.println("[coop-it] TlsIT: the server is the program's own SSLServerSocket, its certificate made here by keytool");
        Path keystore = dir.resolve("server.p12");
        String password = "coop-it-secret";
        AsyncTlsIT.keytool(keystore, password);

        Jvm.Run r = Apps.underAgent("apps.TlsApp", keystore.toString(), password, "100");
        assertEquals("0", r.field("failures"), r::toString);
        assertEquals("100", r.field("right"), r::toString);
        assertEquals("100", r.field("served"), r::toString);
        assertEquals("TLSv1.3", r.field("protocol"), r::toString);
        Apps.assertOneOsThread(r);
        // serial: 100 x 0.2 s = 20 s (the handshakes before, both ends' CPU work on one OS thread, are only reported)
        Apps.assertWithin(r, "exchangeMs", 195, 6000, "100 TLS exchanges with a 200 ms handler overlap");
    }
}
