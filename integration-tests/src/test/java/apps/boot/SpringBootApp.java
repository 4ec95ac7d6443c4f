package apps.boot;

import apps.Load;
import apps.Threads;
import io.coop.testsupport.Probe;
import jakarta.servlet.http.HttpSession;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application (Spring MVC on the embedded Tomcat) with one controller that
 * stores a value in the HTTP session, waits {@code sleepMs} and answers with the session's id.
 * main starts it on a free loopback port, makes a first request (the first HTTP session: the
 * session id generator's SecureRandom is seeded then, if not before), then N client threads each
 * GET once, all at the same moment ({@link Load#burstOf}), then a throughput round to {@code /fast?i=N},
 * which answers "fast N" at once and makes no session (10 threads x 200 keep-alive requests),
 * and closes the application.
 *
 * <p>Args: threads sleepMs
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.boot.SpringBootApp 50 200
 * }</pre>
 */
@SpringBootApplication
@RestController
public class SpringBootApp {
    static long sleepMs;

    @GetMapping("/hello")
    public String hello(@RequestParam("i") int i, HttpSession session) throws InterruptedException {
        Probe.mark();
        session.setAttribute("item", i);
        Thread.sleep(sleepMs);
        Probe.mark();
        return "item " + session.getAttribute("item") + " session " + session.getId();
    }

    @GetMapping("/fast")
    public String fast(@RequestParam("i") int i) {
        Probe.mark();
        return "fast " + i;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        sleepMs = Long.parseLong(args[1]);
        Probe.start();
        long t0 = System.nanoTime();
        ConfigurableApplicationContext app = SpringApplication.run(SpringBootApp.class,
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off");
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        String base = "http://127.0.0.1:" + port + "/hello?i=";

        Set<String> sessionIds = ConcurrentHashMap.newKeySet();
        long t1 = System.nanoTime();
        String first = get(base, -1, sessionIds);
        long firstMs = (System.nanoTime() - t1) / 1_000_000;

        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        Load.Burst burst = Load.burstOf(n, i -> {
            get(base, i, sessionIds);
            right.incrementAndGet();
            return new String[] {"200", "item " + i + " session (its cookie's)"}; // the id itself differs from run to run
        }, sleepMs / 2, failures);
        String fast = "http://127.0.0.1:" + port + "/fast?i=";
        long rps = Load.throughput(10, 200, i -> URI.create(fast + i), i -> "fast " + i, failures);
        String tomcatThreads = Threads.describePlatformThreads("http-nio", "Catalina", "container", "tomcat");

        long t2 = System.nanoTime();
        app.close();
        long closeMs = (System.nanoTime() - t2) / 1_000_000;
        Probe.result("first=" + (first != null) + " right=" + right.get() + " distinctSessions=" + sessionIds.size() + " startMs=" + startMs
                + " firstMs=" + firstMs + " " + burst.fields() + " requestsPerSecond=" + rps + " closeMs=" + closeMs + " tomcatOsThreads=" + tomcatThreads
                + " failures=" + failures.count());
    }

    /** GET base+i; checks the answer and that the session cookie names the session in it; returns the session id. */
    private static String get(String base, int i, Set<String> sessionIds) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + i).toURL().openConnection();
        c.setReadTimeout(30_000);
        int status = c.getResponseCode();
        String cookie = String.valueOf(c.getHeaderField("Set-Cookie"));
        String body;
        try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Probe.mark();
        String prefix = "item " + i + " session ";
        if (status != 200 || !body.startsWith(prefix)) throw new IllegalStateException("request " + i + ": status " + status + ", body " + body);
        String id = body.substring(prefix.length());
        if (!cookie.startsWith("JSESSIONID=" + id + ";")) throw new IllegalStateException("request " + i + ": cookie " + cookie + " for session " + id);
        sessionIds.add(id);
        return id;
    }
}
