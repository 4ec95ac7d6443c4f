package apps.bootjdbc;

import apps.Load;
import apps.Threads;
import io.coop.testsupport.Probe;
import java.net.URI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web + JDBC application (Spring MVC on the embedded Tomcat, HikariCP, pgjdbc),
 * run from its own executable jar. {@code /slow?i=N} runs {@code select pg_sleep(0.2), N} and
 * answers "slow N"; {@code /fast?i=N} runs {@code select N} and answers "fast N". main starts it
 * on a free loopback port against the given database (a pool of N connections), makes a first
 * request (the pool's first connection), then N requests to /slow from N threads at the same
 * moment, a throughput round to /fast (10 threads x 200 keep-alive requests), and closes the
 * application.
 *
 * <p>Args: jdbcUrl user n
 *
 * <pre>{@code
 * java -javaagent:coop.jar -jar integration-tests/target/coop-integration-tests-*-boot-jdbc-app.jar \
 *     jdbc:postgresql://127.0.0.1:5432/test postgres 50
 * }</pre>
 */
@SpringBootApplication
@RestController
public class BootJdbcApp {
    private final JdbcTemplate jdbc;

    public BootJdbcApp(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/slow")
    public String slow(@RequestParam("i") int i) {
        Probe.mark();
        Integer got = jdbc.queryForObject("select pg_sleep(0.2), ?::int", (rs, row) -> rs.getInt(2), i);
        Probe.mark();
        return "slow " + got;
    }

    @GetMapping("/fast")
    public String fast(@RequestParam("i") int i) {
        Probe.mark();
        return "fast " + jdbc.queryForObject("select ?::int", Integer.class, i);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int n = Integer.parseInt(args[2]);
        Probe.start();
        long t0 = System.nanoTime();
        ConfigurableApplicationContext app = SpringApplication.run(BootJdbcApp.class,
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                "--spring.datasource.hikari.maximum-pool-size=" + n);
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");

        long t1 = System.nanoTime();
        String[] first = Load.get(URI.create(base + "/fast?i=-1"));
        long firstMs = (System.nanoTime() - t1) / 1_000_000;

        Threads.Failures failures = new Threads.Failures();
        Load.Burst burst = Load.burst(n, i -> URI.create(base + "/slow?i=" + i), 100, failures);
        long rps = Load.throughput(10, 200, i -> URI.create(base + "/fast?i=" + i), i -> "fast " + i, failures);
        String serverThreads = Threads.describePlatformThreads("http-nio", "HikariPool", "Catalina", "container", "tomcat");

        long t2 = System.nanoTime();
        app.close();
        long stopMs = (System.nanoTime() - t2) / 1_000_000;
        Probe.result(burst.fields() + " first=" + String.join("_", first).replace(' ', '_') + " startMs=" + startMs + " firstMs=" + firstMs
                + " requestsPerSecond=" + rps + " stopMs=" + stopMs + " serverOsThreads=" + serverThreads + " failures=" + failures.count());
    }
}
