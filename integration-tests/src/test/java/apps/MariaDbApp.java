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
 * MariaDB through MariaDB Connector/J, one connection per thread: N threads connect, then all at
 * once run {@code select sleep(0.5)} and a query whose answer depends on the thread.
 *
 * <p>Args: jdbcUrl user threads
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.MariaDbApp "jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable" root 30
 * }</pre>
 */
public final class MariaDbApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int n = Integer.parseInt(args[2]);
        Probe.start();
        Threads.Failures failures = new Threads.Failures();
        AtomicInteger right = new AtomicInteger();
        CyclicBarrier connected = new CyclicBarrier(n, () -> gate = System.nanoTime());
        Threads.runAll(n, "mariadb-client", i -> {
            Probe.mark();
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                connected.await(60, TimeUnit.SECONDS);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select sleep(0.5)")) {
                    rs.next();
                    if (rs.getInt(1) != 0) throw new IllegalStateException("sleep() was interrupted: " + rs.getInt(1));
                }
                Probe.mark();
                try (PreparedStatement ps = c.prepareStatement("select ? * 7, concat('thread-', ?)")) {
                    ps.setInt(1, i);
                    ps.setInt(2, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == i * 7L && rs.getString(2).equals("thread-" + i)) right.incrementAndGet();
                    }
                }
                Probe.mark();
            }
        }, failures);
        long sleepMs = (System.nanoTime() - gate) / 1_000_000;
        Probe.result("right=" + right.get() + " sleepMs=" + sleepMs + " failures=" + failures.count());
    }
}
