package io.coop.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Where each scenario's server comes from: a Testcontainers container when a Docker engine
 * answers, otherwise the server on loopback that this kind of machine runs (shared/services.md,
 * started by build/services.sh). With neither, the scenario is skipped with a message saying
 * which server was missing and how to provide it, unless servers are required
 * ({@code CI=true} in the environment, as in {@code .ci/run}, or {@code -Dcoop.it.requireServers=true}):
 * then it fails, so CI never skips silently. {@code -Dcoop.it.backend=local} or
 * {@code =testcontainers} forces one kind. Every choice is printed.
 *
 * <pre>{@code
 * Backends.Server pg = Backends.postgres("PgJdbcIT");   // prints "[coop-it] PgJdbcIT: PostgreSQL from ..."
 * String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/test";
 * }</pre>
 */
final class Backends {
    /** A server a scenario talks to. {@code backend} is "testcontainers" or "local". */
    record Server(String service, String backend, String host, int port) {
        String hostPort() {
            return host + ":" + port;
        }
    }

    private static final Map<String, Server> CONTAINERS = new ConcurrentHashMap<>();
    private static volatile Boolean docker;

    private Backends() {
    }

    static Server postgres(String scenario) {
        return pick(scenario, "PostgreSQL", 5432, () -> new GenericContainer<>(DockerImageName.parse("postgres:15"))
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withEnv("POSTGRES_DB", "test")
                .withCommand("postgres", "-c", "max_connections=200")
                .withExposedPorts(5432)
                // the image's initialisation runs a server on the Unix socket only: the TCP port opens when it is ready
                .waitingFor(Wait.forListeningPort()));
    }

    static Server mariadb(String scenario) {
        return pick(scenario, "MariaDB", 3306, () -> new GenericContainer<>(DockerImageName.parse("mariadb:10.11"))
                .withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
                .withEnv("MARIADB_DATABASE", "test")
                .withExposedPorts(3306)
                .waitingFor(Wait.forListeningPort()));
    }

    static Server redis(String scenario) {
        return pick(scenario, "Redis", 6379, () -> new GenericContainer<>(DockerImageName.parse("redis:7"))
                .withExposedPorts(6379)
                .waitingFor(Wait.forListeningPort()));
    }

    static Server rabbitmq(String scenario) {
        return pick(scenario, "RabbitMQ", 5672, () -> new GenericContainer<>(DockerImageName.parse("rabbitmq:3"))
                .withExposedPorts(5672)
                .waitingFor(Wait.forLogMessage(".*Server startup complete.*", 1)));
    }

    static Server nats(String scenario) {
        return pick(scenario, "NATS", 4222, () -> new GenericContainer<>(DockerImageName.parse("nats:2"))
                .withExposedPorts(4222)
                .waitingFor(Wait.forLogMessage(".*Server is ready.*", 1)));
    }

    /** True when servers must be there: in CI, or when asked. */
    static boolean serversRequired() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("coop.it.requireServers");
    }

    private static Server pick(String scenario, String service, int localPort, Supplier<GenericContainer<?>> container) {
        String forced = System.getProperty("coop.it.backend", "auto");
        String dockerWhy = null;
        if (!forced.equals("local")) {
            if (dockerAnswers()) {
                Server s = CONTAINERS.computeIfAbsent(service, k -> {
                    GenericContainer<?> c = container.get();
                    c.start(); // stopped with the JVM (Testcontainers' reaper)
                    return new Server(service, "testcontainers", c.getHost(), c.getMappedPort(localPort));
                });
                System.out.println("[coop-it] " + scenario + ": " + service + " from Testcontainers at " + s.hostPort());
                return s;
            }
            dockerWhy = "no Docker engine answers for Testcontainers";
            if (forced.equals("testcontainers")) unavailable(scenario, service, dockerWhy + " (coop.it.backend=testcontainers)");
        }
        if (portOpen("127.0.0.1", localPort)) {
            System.out.println("[coop-it] " + scenario + ": " + service + " from the local server at 127.0.0.1:" + localPort
                    + (dockerWhy != null ? " (" + dockerWhy + ")" : " (coop.it.backend=local)"));
            return new Server(service, "local", "127.0.0.1", localPort);
        }
        unavailable(scenario, service, (dockerWhy != null ? dockerWhy + " and " : "") + "nothing listens on 127.0.0.1:" + localPort);
        throw new AssertionError("unreachable");
    }

    private static void unavailable(String scenario, String service, String why) {
        String msg = scenario + " needs " + service + ": " + why
                + (why.contains("coop.it.backend=testcontainers") ? "; start a Docker engine"
                        : "; start the local server (build/services.sh, see shared/services.md) or a Docker engine");
        if (serversRequired()) {
            System.out.println("[coop-it] FAILED " + msg);
            Assertions.fail(msg + " (servers are required here: CI=true or coop.it.requireServers=true)");
        }
        System.out.println("[coop-it] SKIPPED " + msg);
        Assumptions.abort(msg);
    }

    private static boolean dockerAnswers() {
        Boolean d = docker;
        if (d == null) {
            synchronized (Backends.class) {
                if (docker == null) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = DockerClientFactory.instance().isDockerAvailable();
                    } catch (Throwable e) {
                        ok = false;
                    }
                    docker = ok;
                    System.out.println("[coop-it] Docker engine for Testcontainers: " + (ok ? "yes" : "none")
                            + " (asked in " + (System.nanoTime() - t0) / 1_000_000 + " ms)");
                }
                d = docker;
            }
        }
        return d;
    }

    static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
