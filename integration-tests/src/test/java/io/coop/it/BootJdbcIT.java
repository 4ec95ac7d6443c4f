package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot web + JDBC application (Spring MVC on the embedded Tomcat, HikariCP, pgjdbc)
 * started from its own executable jar, {@code java -javaagent:coop.jar -jar app.jar}, with every
 * area patched: it starts (Spring Boot's launcher opens the nested jars), answers 50 requests sent
 * at the same moment, each running {@code select pg_sleep(0.2)} on a connection of its own, then
 * a throughput round of short queries, and closes; the same jar without the agent answers the
 * same. The jar is made by the build (spring-boot-maven-plugin, see the pom).
 */
class BootJdbcIT {
    private static final int REQUESTS = 50;

    @Test
    void executableJarServesFiftyOverlappingQueriesOnOneOsThread() throws Exception {
        System.out.println("[coop-it] BootJdbcIT: a Spring Boot web + JDBC application from its executable jar");
        Backends.Server pg = Backends.postgres("BootJdbcIT");
        Path jar = Path.of(System.getProperty("coop.it.bootJdbcJar", "target/coop-integration-tests-0.1.0-SNAPSHOT-boot-jdbc-app.jar"));
        assertTrue(Files.isRegularFile(jar), () -> "no " + jar.toAbsolutePath() + ": made by the package phase");
        String[] args = {"jdbc:postgresql://" + pg.hostPort() + "/test", "postgres", String.valueOf(REQUESTS)};
        Jvm.Run r = Apps.check(Apps.runJar(Jvm.agent(), Duration.ofSeconds(40), jar, args), "apps.bootjdbc.BootJdbcApp (java -jar)");
        Jvm.Run plain = Apps.check(Apps.runJar(Jvm.plain(), Duration.ofSeconds(40), jar, args), "apps.bootjdbc.BootJdbcApp (java -jar, no agent)");
        Apps.printFigures("Spring Boot web + JDBC", r, plain);
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            assertEquals("0", run.field("failures"), run::toString);
            assertEquals("200_fast_-1", run.field("first"), run::toString);
            assertEquals(String.valueOf(REQUESTS), run.field("ok"), run::toString);
            assertTrue(run.number("requestsPerSecond") > 0, () -> "the throughput round got the right answers; " + run);
        }
        Apps.assertSameResponses(r, plain);
        assertEquals("none", r.field("serverOsThreads"), () -> "Tomcat's and HikariCP's threads run as greenlets; " + r);
        Apps.assertOneOsThread(r);
        assertTrue(plain.number("osThreads") > 1, () -> "without the agent, each thread is an OS thread; " + plain);
        Apps.assertWithin(r, "startMs", 0, 15_000, "the application starts");
        // serial: 50 x 0.2 s = 10 s
        Apps.assertWithin(r, "requestsMs", 195, 4000, "50 requests each waiting 200 ms in PostgreSQL overlap");
        Apps.assertWithin(r, "stopMs", 0, 10_000, "the application closes");
    }
}
