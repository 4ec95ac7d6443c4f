package io.coop.agent;

import java.net.spi.InetAddressResolver;
import java.util.List;

import io.coop.dns.Resolver;

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
 * and {@code lookupByAddress(byte[])}. The lookups take the resolver's one path,
 * {@link Resolver#lookup} of {@link Resolver#getDefault()}: its pool ({@code coop.resolver.threads},
 * default 10, "coop-resolver-N" threads), which the patched methods leave alone (they are not
 * greenlets), and the exception as thrown.
 *
 * <pre>{@code
 * InetAddress a = InetAddress.getByName("example.org");   // other greenlets run meanwhile
 * }</pre>
 */
public final class DnsPatch implements Patch {
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


    /** PlatformResolver.lookupByName of a greenlet: on a resolver thread. */
    static Object lookupByName(Object resolver, String host, Object policy) throws Exception {
        if (!Callers.inCoop()) return null;
        InetAddressResolver r = (InetAddressResolver) resolver;
        InetAddressResolver.LookupPolicy p = (InetAddressResolver.LookupPolicy) policy;
        return Resolver.getDefault().lookup("lookupByName(" + host + ")", () -> r.lookupByName(host, p));
    }

    /** PlatformResolver.lookupByAddress of a greenlet: on a resolver thread. */
    static Object lookupByAddress(Object resolver, byte[] address) throws Exception {
        if (!Callers.inCoop()) return null;
        InetAddressResolver r = (InetAddressResolver) resolver;
        byte[] copy = address == null ? null : address.clone();
        return Resolver.getDefault().lookup("lookupByAddress", () -> r.lookupByAddress(copy));
    }
}
