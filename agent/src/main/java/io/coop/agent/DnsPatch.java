package io.coop.agent;

import java.net.spi.InetAddressResolver;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.coop.AgentSupport;
import io.coop.Hub;
import io.coop.Waiter;

/**
 * The {@code dns} area: a greenlet's name lookup ({@code InetAddress.getByName},
 * {@code getAllByName}, {@code getLocalHost}, {@code getHostName}/{@code getCanonicalHostName}
 * reverse lookups) runs the JDK's own platform resolver (getaddrinfo/getnameinfo, so
 * {@code /etc/hosts} and the system's configuration apply) on a small pool of resolver threads
 * while the greenlet waits on its hub; the result or the very exception the resolver threw
 * ({@code UnknownHostException} with its text) comes back to it. The JDK's address cache in
 * front of the resolver is unchanged.
 *
 * <p>JDK targets: {@code java.net.InetAddress$PlatformResolver.lookupByName(String, LookupPolicy)}
 * and {@code lookupByAddress(byte[])}. Pool size: {@code coop.dnsThreads} (default 8).
 *
 * <pre>{@code
 * InetAddress a = InetAddress.getByName("example.org");   // other greenlets run meanwhile
 * }</pre>
 */
public final class DnsPatch implements Patch {
    private static volatile ThreadPoolExecutor pool;

    @Override
    public String area() {
        return "dns";
    }

    @Override
    public List<Target> targets(int jdk) {
        String r = "java.net.InetAddress$PlatformResolver";
        return List.of(
                new Target(r, "lookupByName", "(Ljava/lang/String;Ljava/net/spi/InetAddressResolver$LookupPolicy;)Ljava/util/stream/Stream;", "lookupByName"),
                new Target(r, "lookupByAddress", "([B)Ljava/lang/String;", "lookupByAddress"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
    }


    /** What a resolver thread hands back: the result, or the exception to rethrow as it is. */
    private record Outcome(Object value, Throwable failure) {
    }

    /** PlatformResolver.lookupByName of a greenlet: on a resolver thread. */
    static Object lookupByName(Object resolver, String host, Object policy) throws Throwable {
        if (!Callers.inCoop()) return null;
        InetAddressResolver r = (InetAddressResolver) resolver;
        return offload("lookup of " + host, () -> r.lookupByName(host, (InetAddressResolver.LookupPolicy) policy));
    }

    /** PlatformResolver.lookupByAddress of a greenlet: on a resolver thread. */
    static Object lookupByAddress(Object resolver, byte[] address) throws Throwable {
        if (!Callers.inCoop()) return null;
        InetAddressResolver r = (InetAddressResolver) resolver;
        byte[] copy = address == null ? null : address.clone();
        return offload("reverse lookup", () -> r.lookupByAddress(copy));
    }

    private interface Lookup {
        Object run() throws Exception;
    }

    private static Object offload(String what, Lookup lookup) throws Throwable {
        Hub hub = AgentSupport.currentHub();
        Waiter<Outcome> w = new Waiter<>(what);
        Hub.KeepAlive alive = hub.keepAlive();
        try {
            pool().execute(() -> {
                Outcome o;
                try {
                    o = new Outcome(lookup.run(), null);
                } catch (Throwable t) {
                    o = new Outcome(null, t);
                }
                try {
                    w.wake(o);
                } finally {
                    alive.close();
                }
            });
        } catch (RuntimeException e) {
            alive.close();
            throw e;
        }
        Outcome o = w.await();
        if (o.failure() != null) throw o.failure();
        return o.value();
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = pool;
        if (p != null) return p;
        synchronized (DnsPatch.class) {
            if (pool == null) {
                int n = Integer.getInteger("coop.dnsThreads", 8);
                AtomicInteger count = new AtomicInteger();
                ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        task -> new ResolverThread(task, "coop-resolver-" + count.incrementAndGet()));
                e.allowCoreThreadTimeOut(true);
                pool = e;
            }
            return pool;
        }
    }

    /** coop's own resolver threads: real OS threads (the thread patch leaves coop's classes alone). */
    private static final class ResolverThread extends Thread {
        ResolverThread(Runnable task, String name) {
            super(null, task, name, 0, false);
            setDaemon(true);
        }
    }
}
