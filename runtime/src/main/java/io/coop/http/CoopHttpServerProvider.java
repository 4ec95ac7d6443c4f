package io.coop.http;

import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Backs the JDK's {@code com.sun.net.httpserver.HttpServer.create(...)} with coop's server, so an
 * application written against the JDK API serves every connection in a greenlet on one thread.
 * Opt in with the JDK's own switch (coop registers no service file, so merely having coop on the
 * class path changes nothing):
 *
 * <pre>{@code
 * java -Dcom.sun.net.httpserver.HttpServerProvider=io.coop.http.CoopHttpServerProvider ... 
 *
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);   // coop underneath
 * server.createContext("/", exchange -> { ... });
 * server.start();
 * }</pre>
 *
 * <p>Where it runs: {@code start()} called inside a greenlet (a {@code Coop.run} body, a spawned
 * greenlet) serves on that greenlet's hub; called from any other thread, it starts one thread of
 * its own ("coop-http-PORT", not a daemon, like the JDK's dispatcher) whose hub serves every
 * connection. {@code setExecutor} is accepted and ignored: each exchange runs in its connection's
 * greenlet. {@code stop(delay)} works from any thread. HTTPS is not served.
 */
public final class CoopHttpServerProvider extends HttpServerProvider {
    /** Used by {@link HttpServerProvider#provider()} when selected by the system property. */
    public CoopHttpServerProvider() {
    }

    @Override
    public com.sun.net.httpserver.HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
        JdkHttpServer s = new JdkHttpServer();
        if (addr != null) s.bind(addr, backlog);
        return s;
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) {
        throw new UnsupportedOperationException("coop's HTTP server does not serve HTTPS");
    }
}
