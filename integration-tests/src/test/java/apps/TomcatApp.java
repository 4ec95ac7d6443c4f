package apps;

import io.coop.testsupport.Probe;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat with one servlet that creates an HTTP session, waits {@code sleepMs} and answers
 * with the session's id. Tomcat's session manager seeds its SecureRandom (SHA1PRNG, seeded from
 * the OS) while the context starts. N client threads ({@code HttpURLConnection}, no cookies, so
 * every request gets a session of its own) each GET once, all at the same moment ({@link Load#burstOf});
 * then a throughput round to a second servlet, {@code /fast?i=N}, which answers "fast N" at once
 * and makes no session (10 threads x 200 keep-alive requests); then Tomcat is stopped and
 * destroyed, and main returns.
 *
 * <p>Args: threads sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.TomcatApp 100 200
 * }</pre>
 */
public final class TomcatApp {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long sleepMs = Long.parseLong(args[1]);
        Probe.start();
        Path base = Files.createTempDirectory("tomcat-app");
        AtomicInteger newSessions = new AtomicInteger();

        long t0 = System.nanoTime();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", Files.createDirectories(base.resolve("root")).toString());
        Tomcat.addServlet(ctx, "session", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                Probe.mark();
                HttpSession session = req.getSession(true);
                if (session.isNew()) newSessions.incrementAndGet();
                session.setAttribute("item", req.getParameter("i"));
                Probe.sleep(sleepMs);
                Probe.mark();
                rsp.setContentType("text/plain");
                rsp.setCharacterEncoding("UTF-8");
                rsp.getWriter().print("item " + session.getAttribute("item") + " session " + session.getId());
            }
        });
        ctx.addServletMappingDecoded("/*", "session");
        Tomcat.addServlet(ctx, "fast", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                Probe.mark();
                rsp.setContentType("text/plain");
                rsp.setCharacterEncoding("UTF-8");
                rsp.getWriter().print("fast " + req.getParameter("i"));
            }
        });
        ctx.addServletMappingDecoded("/fast", "fast");
        tomcat.start();
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        int port = connector.getLocalPort();
        String url = "http://127.0.0.1:" + port;

        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        Set<String> sessionIds = ConcurrentHashMap.newKeySet();
        Load.Burst burst = Load.burstOf(n, i -> {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + "/hello?i=" + i).toURL().openConnection();
            c.setReadTimeout(30_000);
            int status = c.getResponseCode();
            String cookie = String.valueOf(c.getHeaderField("Set-Cookie"));
            String body;
            try (InputStream in = c.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Probe.mark();
            String prefix = "item " + i + " session ";
            if (status != 200 || !body.startsWith(prefix)) throw new IllegalStateException("request " + i + ": status " + status + ", body " + body);
            String id = body.substring(prefix.length());
            if (!cookie.startsWith("JSESSIONID=" + id + ";")) throw new IllegalStateException("request " + i + ": cookie " + cookie + " for session " + id);
            sessionIds.add(id);
            right.incrementAndGet();
            return new String[] {String.valueOf(status), prefix + "(its cookie's)"}; // the id itself differs from run to run
        }, sleepMs / 2, failures);
        long rps = Load.throughput(10, 200, i -> URI.create(url + "/fast?i=" + i), i -> "fast " + i, failures);
        int active = ctx.getManager().getActiveSessions();
        String tomcatThreads = Threads.describePlatformThreads("http-nio", "Catalina", "container");

        long t1 = System.nanoTime();
        tomcat.stop();
        tomcat.destroy();
        long stopMs = (System.nanoTime() - t1) / 1_000_000;
        Probe.result("right=" + right.get() + " newSessions=" + newSessions.get() + " distinctSessions=" + sessionIds.size()
                + " activeSessions=" + active + " " + burst.fields() + " startMs=" + startMs + " requestsPerSecond=" + rps + " stopMs=" + stopMs
                + " tomcatOsThreads=" + tomcatThreads + " failures=" + failures.count());
    }
}
