package apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.coop.testsupport.Probe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL through a HikariCP pool of P connections shared by N threads, each borrowing a
 * connection for {@code select pg_sleep(0.5), ?}: with N = 5 P the work takes about five
 * rounds of 0.5 s. Hikari's own threads (housekeeper, connection adder/closer) are started by
 * the pool as usual.
 *
 * <p>Args: jdbcUrl user poolSize threads
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.HikariApp jdbc:postgresql://127.0.0.1:5432/test postgres 10 50
 * }</pre>
 */
public final class HikariApp {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int pool = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        Probe.start();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(user);
        cfg.setMaximumPoolSize(pool);
        cfg.setConnectionTimeout(30_000);
        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        long ms;
        String hikariThreads;
        int total;
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            // let the pool fill up (minimumIdle defaults to the maximum), as a warmed-up service would be
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ds.getHikariPoolMXBean().getTotalConnections() < pool && System.nanoTime() < deadline) Thread.sleep(10);
            total = ds.getHikariPoolMXBean().getTotalConnections();
            long t0 = System.nanoTime();
            Threads.runAll(n, "hikari-client", i -> {
                Probe.mark();
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("select pg_sleep(0.5), ?::int * 3")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(2) == i * 3) right.incrementAndGet();
                    }
                    Probe.mark();
                }
            }, failures);
            ms = (System.nanoTime() - t0) / 1_000_000;
            hikariThreads = Threads.describePlatformThreads("HikariPool", "Hikari");
        }
        Probe.result("right=" + right.get() + " poolMs=" + ms + " poolTotal=" + total
                + " hikariOsThreads=" + hikariThreads + " failures=" + failures.count());
    }
}
