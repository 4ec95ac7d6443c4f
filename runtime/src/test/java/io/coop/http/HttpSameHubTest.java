package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.net.CoopSocket;
import io.coop.testing.OsThread;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Server and clients as greenlets of one hub: the whole exchange on one OS thread. */
class HttpSameHubTest {
    static String call(InetSocketAddress at, String raw) throws Exception {
        try (Socket s = CoopSocket.connect(at, Duration.ofSeconds(5))) {
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out); // requests say Connection: close
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void clientsAndServerShareOneThreadAndFiltersAndAuthenticatorsRun() {
        Set<String> threads = new TreeSet<>();
        Coop.run(() -> {
            try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), x -> {
                threads.add(OsThread.id());
                Coop.sleep(100);
                byte[] b = ("hi " + x.getRequestURI().getPath() + " " + x.getPrincipal() + " " + x.getAttribute("f")).getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, b.length);
                x.getResponseBody().write(b);
                x.close();
            })) {
                server.createContext("/private", x -> {
                    byte[] b = ("secret for " + x.getPrincipal().getUsername()).getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, b.length);
                    x.getResponseBody().write(b);
                    x.close();
                }).setAuthenticator(new BasicAuthenticator("coop") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return user.equals("ann") && password.equals("pw");
                    }
                });
                server.createContext("/f", x -> {
                    x.sendResponseHeaders(200, -1);
                    x.close();
                }).getFilters().add(Filter.afterHandler("count", x -> x.setAttribute("after", true)));
                server.start();
                List<Greenlet<String>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String path = "/c" + i;
                    calls.add(Coop.spawn(() -> call(server.address(), "GET " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")));
                }
                Coop.joinAll(calls);
                for (int i = 0; i < 100; i++) assertTrue(calls.get(i).get().endsWith("hi /c" + i + " null null"), calls.get(i).get());
                assertEquals(100, server.peakConnections(), "all 100 were served at once");

                String denied = call(server.address(), "GET /private HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
                assertTrue(denied.startsWith("HTTP/1.1 401 "), denied);
                assertTrue(denied.contains("WWW-Authenticate") || denied.contains("Www-authenticate"), denied);
                String auth = Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8));
                String ok = call(server.address(), "GET /private/x HTTP/1.1\r\nHost: h\r\nAuthorization: Basic " + auth + "\r\nConnection: close\r\n\r\n");
                assertTrue(ok.endsWith("secret for ann"), ok);
                assertTrue(call(server.address(), "GET /f HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200 OK"));
                threads.add(OsThread.id());
            }
            return null;
        });
        assertEquals(1, threads.size(), threads.toString());
    }
}
