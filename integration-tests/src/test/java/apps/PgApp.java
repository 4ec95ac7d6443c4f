package apps;

import io.coop.testsupport.Probe;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL through pgjdbc, one connection per thread, as any blocking program would do it.
 * Phase 1: N threads connect, then all at once run {@code select pg_sleep(0.5)} and then a query
 * whose answer depends on the thread. Phase 2: N threads each insert a row in a transaction,
 * hold it open across {@code pg_sleep(0.2)}, see their own row, and commit (even ids) or roll
 * back (odd ids); afterwards exactly the even rows exist.
 *
 * <p>Args: jdbcUrl user threads
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.PgApp jdbc:postgresql://127.0.0.1:5432/test postgres 50
 * }</pre>
 */
public final class PgApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int n = Integer.parseInt(args[2]);
        Probe.start();
        Threads.Failures failures = new Threads.Failures();

        // phase 1: overlapping pg_sleep(0.5), then a query
        AtomicInteger right = new AtomicInteger();
        CyclicBarrier connected = new CyclicBarrier(n, () -> gate = System.nanoTime());
        Threads.runAll(n, "pg-client", i -> {
            Probe.mark();
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                connected.await(60, TimeUnit.SECONDS);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_sleep(0.5)")) {
                    rs.next();
                }
                Probe.mark();
                try (PreparedStatement ps = c.prepareStatement("select count(*), sum(x) from generate_series(1, ?) x")) {
                    ps.setInt(1, i + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == i + 1 && rs.getLong(2) == (long) (i + 1) * (i + 2) / 2) right.incrementAndGet();
                    }
                }
                Probe.mark();
            }
        }, failures);
        long sleepMs = (System.nanoTime() - gate) / 1_000_000;

        // phase 2: transactions, half committed, half rolled back
        String table = "coop_it_tx_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("create table " + table + " (id int primary key, who text not null)");
        }
        AtomicInteger sawOwnRow = new AtomicInteger();
        long t1 = System.nanoTime();
        Threads.runAll(n, "pg-tx", i -> {
            Probe.mark();
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("insert into " + table + " values (?, ?)")) {
                    ps.setInt(1, i);
                    ps.setString(2, Thread.currentThread().getName());
                    ps.executeUpdate();
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_sleep(0.2), count(*) from " + table + " where id = " + i)) {
                    rs.next();
                    if (rs.getLong(2) == 1) sawOwnRow.incrementAndGet();
                }
                Probe.mark();
                if (i % 2 == 0) c.commit(); else c.rollback();
            }
        }, failures);
        long txMs = (System.nanoTime() - t1) / 1_000_000;
        long rows;
        long idSum;
        long expectedSum = 0;
        for (int i = 0; i < n; i += 2) expectedSum += i;
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*), coalesce(sum(id), 0) from " + table)) {
                rs.next();
                rows = rs.getLong(1);
                idSum = rs.getLong(2);
            }
            s.execute("drop table " + table);
        }
        boolean txRight = rows == (n + 1) / 2 && idSum == expectedSum && sawOwnRow.get() == n;
        Probe.result("right=" + right.get() + " sleepMs=" + sleepMs + " txMs=" + txMs + " txRows=" + rows
                + " txRight=" + txRight + " failures=" + failures.count());
    }
}
