package io.coop.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A test-only resolver (the JDK's own SPI, JEP 418) that answers names {@code <ms>-<anything>.slow.coop.test}
 * with 127.0.0.1 after sleeping {@code ms} milliseconds, standing in for a slow DNS server without
 * touching the network ({@code .test} is reserved, RFC 2606). Every other name goes to the JDK's
 * built-in resolver unchanged, so other tests see the JDK's behaviour.
 */
public final class SlowNamesProvider extends InetAddressResolverProvider {
    static final String SUFFIX = ".slow.coop.test";
    /** Lookups of slow names in progress now, and the most seen at once. */
    static final AtomicInteger inFlight = new AtomicInteger(), mostInFlight = new AtomicInteger();
    /** The threads the slow lookups ran on. */
    static final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(SUFFIX)) return builtin.lookupByName(host, policy);
                threads.add(Thread.currentThread());
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(Long.parseLong(host.substring(0, host.indexOf('-'))));
                } catch (InterruptedException | NumberFormatException e) {
                    throw new UnknownHostException(host + ": " + e);
                } finally {
                    inFlight.decrementAndGet();
                }
                return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "coop test: slow .test names";
    }
}
