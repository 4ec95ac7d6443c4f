package io.coop.dns;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Timeout;
import io.coop.testing.Elapsed;
import io.coop.testing.OsThread;
import io.coop.threadpool.PoolThread;
import io.coop.threadpool.ThreadPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResolverTest {

    /** What the JDK answers, as text: the addresses with their names, or the exception's class and message. */
    private static String jdk(Callable<?> call) {
        try {
            Object v = call.call();
            return v instanceof Object[] a ? Arrays.toString(a) : String.valueOf(v);
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** The host names of /etc/hosts (the files source of the system resolver: no network). */
    private static List<String> etcHostsNames() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
            String l = line.replaceFirst("#.*", "").trim();
            if (l.isEmpty()) continue;
            String[] f = l.split("\\s+");
            names.addAll(Arrays.asList(f).subList(1, f.length));
        }
        return new ArrayList<>(names);
    }

    @Test
    void answersAreTheJdksAnswers() throws Exception {
        List<String> names = new ArrayList<>(etcHostsNames());
        names.addAll(Arrays.asList("localhost", "LOCALHOST", "127.0.0.1", "10.1.2.3", "::1", "[::1]", "", null));
        Coop.run(() -> {
            Resolver dns = Resolver.getDefault();
            for (String name : names) {
                assertEquals(jdk(() -> InetAddress.getAllByName(name)), jdk(() -> dns.getAllByName(name)), "getAllByName(" + name + ")");
                assertEquals(jdk(() -> InetAddress.getByName(name)), jdk(() -> dns.getByName(name)), "getByName(" + name + ")");
            }
            assertArrayEquals(InetAddress.getAllByName("localhost"), dns.getAllByName("localhost"));
            assertEquals(jdk(InetAddress::getLocalHost), jdk(dns::getLocalHost), "getLocalHost()");
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getHostName(), dns.getHostName(loopback), "reverse lookup");
            InetAddress unnamed = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
            assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}).getCanonicalHostName(), dns.getCanonicalHostName(unnamed));
            return null;
        });
    }

    /** The message of the UnknownHostException that {@code lookup} throws for {@code name}, with the name replaced by NAME. */
    private static String failure(String name, Callable<?> lookup) {
        UnknownHostException e = assertThrows(UnknownHostException.class, lookup::call, name);
        assertEquals(UnknownHostException.class, e.getClass());
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
        return "NAME" + e.getMessage().substring(name.length());
    }

    @Test
    void anUnknownNameFailsExactlyAsTheJdkDoes() {
        Coop.run(() -> {
            Resolver dns = Resolver.getDefault();
            // The JDK's message depends on its negative cache: the first lookup of a name says
            // "NAME: Name or service not known", a repeat within 10 s just "NAME". So compare like with like.
            String unique = Long.toString(System.nanoTime(), 36);
            String a = "no-such-host-" + unique + "-a.invalid", b = "no-such-host-" + unique + "-b.invalid";
            String oursFirst = failure(a, () -> dns.getByName(a));
            String jdkFirst = failure(b, () -> InetAddress.getByName(b));
            assertEquals(jdkFirst, oursFirst, "a first lookup");
            String oursRepeat = failure(b, () -> dns.getAllByName(b));
            String jdkRepeat = failure(a, () -> InetAddress.getAllByName(a)); // the resolver's lookup filled the JDK's cache
            assertEquals(jdkRepeat, oursRepeat, "a repeated lookup");
            assertNotEquals(jdkFirst, jdkRepeat, "(the JDK itself answers a repeat differently)");

            // the name itself, both answered from the same state of the JDK's cache
            String name = "no-such-host.invalid";
            failure(name, () -> InetAddress.getByName(name));
            UnknownHostException ours = assertThrows(UnknownHostException.class, () -> dns.getByName(name));
            UnknownHostException theirs = assertThrows(UnknownHostException.class, () -> InetAddress.getByName(name));
            assertEquals(theirs.getMessage(), ours.getMessage());

            // a malformed literal: the JDK's own complaint
            assertEquals(jdk(() -> InetAddress.getByName("[::1")), jdk(() -> dns.getByName("[::1")));
            return null;
        });
    }

    @Test
    void lookupsRunOnTheResolversOwnThreadsWhileTheHubRunsOthers() {
        Coop.run(() -> {
            String hub = OsThread.id();
            AtomicInteger ticks = new AtomicInteger();
            Set<String> tickThreads = new HashSet<>();
            Greenlet<?> ticker = Coop.spawn(() -> {
                while (true) {
                    ticks.incrementAndGet();
                    tickThreads.add(OsThread.id());
                    Coop.sleep(20);
                }
            });
            SlowNamesProvider.threads.clear();
            Elapsed e = new Elapsed();
            InetAddress a = Resolver.getDefault().getByName("300-own-threads" + SlowNamesProvider.SUFFIX);
            long took = e.millis();
            ticker.kill();
            assertEquals("300-own-threads.slow.coop.test/127.0.0.1", a.toString());
            assertTrue(took >= 280 && took < 1500, "took " + took + " ms");
            // a hub blocked for the lookup would tick once; 3 needs two 20 ms sleeps in 300 ms (15 expected)
            assertTrue(ticks.get() >= 3, "the ticker ticked " + ticks.get() + " times during a 300 ms lookup");
            assertEquals(Set.of(hub), tickThreads);
            Thread worker = SlowNamesProvider.threads.iterator().next();
            assertTrue(PoolThread.isCoopThread(worker), worker.toString());
            assertTrue(worker.getName().matches("coop-resolver-\\d+"), worker.getName());
            return null;
        });
    }

    @Test
    void hundredConcurrentLookupsOverlap() {
        try (Resolver dns = new Resolver(50)) {
            Coop.run(() -> {
                SlowNamesProvider.mostInFlight.set(0);
                List<Greenlet<InetAddress>> gs = new ArrayList<>();
                Elapsed e = new Elapsed();
                for (int i = 0; i < 100; i++) {
                    String name = "200-host" + i + SlowNamesProvider.SUFFIX;
                    gs.add(Coop.spawn(() -> dns.getByName(name)));
                }
                Coop.joinAll(gs);
                long took = e.millis();
                for (int i = 0; i < 100; i++) {
                    assertEquals("200-host" + i + ".slow.coop.test/127.0.0.1", gs.get(i).value().toString(), gs.get(i).toString());
                }
                // one after another: 100 x 200 ms = 20 s; 50 threads: 2 rounds, about 400 ms
                assertTrue(took < 3000, "100 lookups of 200 ms took " + took + " ms");
                assertTrue(SlowNamesProvider.mostInFlight.get() >= 10, "at most " + SlowNamesProvider.mostInFlight + " at once");
                assertTrue(dns.pool().threadCount() <= 50);

                // and 100 real lookups of localhost (/etc/hosts) through the default resolver, all at once
                List<Greenlet<String>> local = new ArrayList<>();
                for (int i = 0; i < 100; i++) local.add(Coop.spawn(() -> Arrays.toString(Resolver.getDefault().getAllByName("localhost"))));
                Coop.joinAll(local);
                String expected = Arrays.toString(InetAddress.getAllByName("localhost"));
                for (Greenlet<String> g : local) assertEquals(expected, g.value());
                return null;
            });
        }
    }

    @Test
    void aTimeoutEndsTheWaitNotTheHub() {
        Coop.run(() -> {
            Elapsed e = new Elapsed();
            assertThrows(Timeout.class, () -> Coop.withTimeout(Duration.ofMillis(100),
                    () -> Resolver.getDefault().getByName("3000-too-slow" + SlowNamesProvider.SUFFIX)));
            // the lookup goes on for 3 s on its thread: ending well before shows the Timeout ended the wait
            assertTrue(e.millis() >= 90 && e.millis() < 2000, "gave up after " + e.millis() + " ms");
            assertEquals("localhost", Resolver.getDefault().getByName("localhost").getHostName());
            return null;
        });
    }

    @Test
    void theOnlyGreenletWaitingForALookupGetsNoLoopExit() {
        String v = Coop.run(() -> Resolver.getDefault().getByName("200-alone" + SlowNamesProvider.SUFFIX).getHostAddress());
        assertEquals("127.0.0.1", v);
    }

    @Test
    void onAPoolThreadTheJdkIsCalledDirectly() {
        try (ThreadPool pool = new ThreadPool(1, "user-pool", ThreadPool.DEFAULT_IDLE_TIMEOUT)) {
            Coop.run(() -> {
                SlowNamesProvider.threads.clear();
                String caller = pool.apply(() -> {
                    Resolver.getDefault().getByName("50-inline" + SlowNamesProvider.SUFFIX);
                    return Thread.currentThread().getName();
                });
                assertEquals(Set.of(caller), names(SlowNamesProvider.threads), "looked up on the caller's own thread");
                return null;
            });
        }
    }

    private static Set<String> names(Set<Thread> threads) {
        Set<String> s = new HashSet<>();
        for (Thread t : threads) s.add(t.getName());
        return s;
    }

    @Test
    void literalsNeedNoThread() {
        try (Resolver dns = new Resolver(1)) {
            Coop.run(() -> {
                assertEquals("/10.0.0.7", dns.getByName("10.0.0.7").toString());
                assertEquals(InetAddress.getLoopbackAddress(), dns.getByName(null));
                assertEquals(0, dns.pool().threadCount(), "no lookup, no thread");
                return null;
            });
        }
        assertTrue(Resolver.isLiteral("1.2.3.4"));
        assertTrue(Resolver.isLiteral("255.255.255.255"));
        assertTrue(Resolver.isLiteral("0.0.0.0"));
        assertTrue(Resolver.isLiteral(""));
        for (String s : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.", "a.b.c.d", "::1", "localhost", "1.2.3.4 ")) {
            assertFalse(Resolver.isLiteral(s), s);
        }
    }

    @Test
    void theDefaultResolverIsSharedAndStaysUp() {
        assertSame(Resolver.getDefault(), Resolver.getDefault());
        assertThrows(IllegalStateException.class, () -> Resolver.getDefault().shutdown());
        Resolver own = new Resolver(1);
        own.shutdown();
        Coop.run(() -> {
            RejectedExecutionException r = assertThrows(RejectedExecutionException.class, () -> own.getByName("localhost"));
            assertTrue(r.getMessage().contains("shut down"), r.getMessage());
            return null;
        });
        assertThrows(IllegalArgumentException.class, () -> new Resolver(0));
        assertThrows(NullPointerException.class, () -> new Resolver((ThreadPool) null));
    }
}
