package apps;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS apps' two contexts from one PKCS12 keystore holding a self-signed certificate: the
 * server's (its key) and the client's (trusting that certificate).
 *
 * <pre>{@code
 * TlsContexts tls = TlsContexts.load(Path.of("server.p12"), "secret".toCharArray());
 * SSLServerSocket server = (SSLServerSocket) tls.server().getServerSocketFactory().createServerSocket(0);
 * }</pre>
 */
public record TlsContexts(SSLContext server, SSLContext client) {

    public static TlsContexts load(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new TlsContexts(server, client);
    }
}
