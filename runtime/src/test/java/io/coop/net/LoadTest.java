package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent connections on one hub thread, for the StreamServer echo and the HTTP server.
 * The server and the client each run in a JVM of their own (10,000 sockets a side: together more
 * than one process may open here), started under {@code ulimit -n} = the hard limit.
 */
class LoadTest {
    static final int N = Integer.getInteger("coop.load.connections", 10_000);

    static long fds() throws Exception {
        long[] lim = Forked.fdLimits();
        System.out.println("load test: this JVM's open-file limit is soft " + lim[0] + ", hard " + lim[1]
                + "; the forked JVMs run under ulimit -n " + Math.min(lim[1], 20_000));
        org.junit.jupiter.api.Assumptions.assumeTrue(lim[1] >= N + 500, "skipped: the hard limit on open files (" + lim[1]
                + ") is too low for " + N + " connections a process; raise it (ulimit -Hn) or set -Dcoop.load.connections");
        return Math.min(lim[1], 20_000);
    }

    static String run(String kind) throws Exception {
        long fds = fds();
        try (Forked server = Forked.start(fds, "1g", LoadProcess.class, "server", kind, String.valueOf(N))) {
            String port = server.readLine();
            assertTrue(port.startsWith("PORT "), port + server.stderr());
            try (Forked client = Forked.start(fds, "512m", LoadProcess.class, "client", kind, port.substring(5), String.valueOf(N))) {
                String result = client.readLine();
                assertTrue(result.startsWith("OK"), result + "\nclient: " + client.stderr() + "\nserver: " + server.stderr());
                assertEquals(0, client.waitFor(60));
                server.send("report");
                String report = server.readLine();
                System.out.println("load test (" + kind + "): " + result + "; server " + report);
                assertTrue(report.contains("peak=" + N + " "), report);
                assertTrue(report.contains("threads=1 "), "one OS thread ran every handler and the hub: " + report);
                assertEquals(0, server.waitFor(30));
                return report;
            }
        }
    }

    @Test
    void streamServerEchoHolds10000ConnectionsOnOneThread() throws Exception {
        run("echo");
    }

    @Test
    void httpServerHolds10000ConcurrentRequestsOnOneThread() throws Exception {
        run("http");
    }

    @Test
    void acceptKeepsServingThroughTooManyOpenFiles() throws Exception {
        long fds = fds();
        // the server may hold ~128 descriptors (the JVM takes some): 400 clients arrive at once
        try (Forked server = Forked.start(128, "256m", LoadProcess.class, "server", "echo", "400")) {
            String port = server.readLine();
            assertTrue(port.startsWith("PORT "), port + server.stderr());
            try (Forked client = Forked.start(fds, "256m", LoadProcess.class, "client", "burst", port.substring(5), "400")) {
                String result = client.out.readLine();
                if (result == null) result = "FAIL client ended: " + client.stderr();
                assertTrue(result.startsWith("OK"), result + "\nserver: " + server.stderr());
            }
            server.send("report");
            System.out.println("EMFILE test: " + server.readLine());
            server.waitFor(30);
            String log = server.stderr();
            long warnings = log.lines().filter(l -> l.contains("backing off and retrying")).count();
            assertTrue(warnings >= 1, "the accept failure was logged:\n" + log);
            assertTrue(log.contains("Too many open files"), log);
            assertTrue(warnings < 50, "logged once per burst, not once per failed accept: " + warnings);
        }
    }
}
