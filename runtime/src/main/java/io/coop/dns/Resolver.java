package io.coop.dns;

import io.coop.Config;
import io.coop.Coop;
import io.coop.threadpool.PoolThread;
import io.coop.threadpool.ThreadPool;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Cooperative host name lookups (gevent's threaded resolver): the calling greenlet waits while
 * the JDK's own {@link InetAddress} methods run on a small {@link ThreadPool}, and the hub keeps
 * running every other greenlet. Results and exceptions are exactly the JDK's, because they are
 * the JDK's: the same {@code InetAddress} objects, the same {@link UnknownHostException} (same
 * object, same message), {@code /etc/hosts}, the JDK's address cache and any installed
 * {@link java.net.spi.InetAddressResolverProvider} all apply. (Note that the JDK's own message
 * depends on its negative cache: a first failed lookup says {@code "name: Name or service not
 * known"}, a repeat within the cache's 10 s just {@code "name"}. The resolver's lookups fill
 * and read that same cache, so it says what the JDK would say at that moment.)
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     Resolver dns = Resolver.getDefault();
 *     InetAddress[] all = dns.getAllByName("localhost");      // [localhost/127.0.0.1]
 *     try {
 *         dns.getByName("no-such-host.invalid");
 *     } catch (UnknownHostException e) {
 *         // e.getMessage() is what InetAddress.getByName would have said
 *     }
 *     return all;
 * });
 * }</pre>
 *
 * <p><b>Threads.</b> The default resolver owns a pool of {@code coop.resolver.threads} threads
 * (default 10) named {@code coop-resolver-N}, which exit after 10 s without work. Name literals
 * (an IPv4 dotted quad, {@code null} or the empty string) need no lookup and are answered on the
 * calling thread.
 *
 * <p><b>The rule for patches.</b> This is what the agent's {@code dns} patch calls from a
 * greenlet. The pool's threads are {@link PoolThread}s, and the patched {@code InetAddress}
 * methods must fall through to the JDK's original code on them (see {@link PoolThread}),
 * otherwise a lookup would hand itself to the pool again forever. Called on a
 * {@code PoolThread}, this class itself calls the JDK directly.
 *
 * <p>A greenlet killed or timed out while it waits stops waiting at once; a lookup already
 * running finishes on its thread and its answer is dropped (it still fills the JDK's cache).
 */
public final class Resolver implements AutoCloseable {
    private static final Object DEFAULT_LOCK = new Object();
    private static volatile Resolver defaultResolver;

    private final ThreadPool pool;
    private final boolean shared;

    /** A resolver with its own pool of {@code threads} threads named {@code coop-resolver-N}. */
    public Resolver(int threads) {
        this(new ThreadPool(threads, "coop-resolver", ThreadPool.DEFAULT_IDLE_TIMEOUT), false);
    }

    /** A resolver that runs its lookups on {@code pool}. */
    public Resolver(ThreadPool pool) {
        this(pool, false);
    }

    private Resolver(ThreadPool pool, boolean shared) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.shared = shared;
    }

    /**
     * The resolver shared by the whole JVM (and used by the agent's dns patch): its pool has
     * {@code coop.resolver.threads} threads (default 10). It is never shut down.
     */
    public static Resolver getDefault() {
        Resolver r = defaultResolver;
        if (r != null) return r;
        synchronized (DEFAULT_LOCK) {
            if (defaultResolver == null) defaultResolver = new Resolver(
                    new ThreadPool(defaultThreads(), "coop-resolver", ThreadPool.DEFAULT_IDLE_TIMEOUT), true);
            return defaultResolver;
        }
    }

    private static int defaultThreads() {
        return Config.integer("resolver.threads", 10, 1);
    }

    /** The pool the lookups run on. */
    public ThreadPool pool() {
        return pool;
    }

    // ---------------------------------------------------------------- lookups

    /** {@link InetAddress#getAllByName(String)}, cooperatively. */
    public InetAddress[] getAllByName(String host) throws UnknownHostException {
        if (isLiteral(host)) return InetAddress.getAllByName(host);
        return lookup("getAllByName(" + host + ")", () -> InetAddress.getAllByName(host));
    }

    /** {@link InetAddress#getByName(String)}, cooperatively. */
    public InetAddress getByName(String host) throws UnknownHostException {
        if (isLiteral(host)) return InetAddress.getByName(host);
        return lookup("getByName(" + host + ")", () -> InetAddress.getByName(host));
    }

    /** {@link InetAddress#getLocalHost()}, cooperatively (it looks up the machine's own name). */
    public InetAddress getLocalHost() throws UnknownHostException {
        return lookup("getLocalHost()", InetAddress::getLocalHost);
    }

    /**
     * The host name of {@code address} as {@link InetAddress#getHostName()} gives it: a reverse
     * lookup when the address was not made from a name, the literal address when that fails.
     */
    public String getHostName(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return lookupUnchecked("getHostName(" + address.getHostAddress() + ")", address::getHostName);
    }

    /** {@link InetAddress#getCanonicalHostName()}, cooperatively (always a reverse lookup). */
    public String getCanonicalHostName(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return lookupUnchecked("getCanonicalHostName(" + address.getHostAddress() + ")", address::getCanonicalHostName);
    }

    private <T> T lookupUnchecked(String what, Callable<T> call) {
        try {
            return lookup(what, call);
        } catch (UnknownHostException e) {
            throw new AssertionError("the JDK's " + what + " does not throw UnknownHostException", e);
        }
    }

    /**
     * The one path every lookup takes (this class's methods and the agent's {@code dns} patch):
     * runs {@code call} on the pool while the calling greenlet waits, and returns its value or
     * rethrows its exception as is ({@link UnknownHostException}, unchecked ones; any other
     * checked exception wrapped by {@link Coop#unchecked}). On a {@link PoolThread} it runs
     * {@code call} in place. {@code what} names the lookup in dumps ("getByName(example.org)").
     */
    public <T> T lookup(String what, Callable<T> call) throws UnknownHostException {
        Objects.requireNonNull(call, "call");
        try {
            if (PoolThread.isCoopThread()) return call.call(); // already off the hub: never queue behind ourselves
            return pool.call(new Lookup<>(what, call));
        } catch (UnknownHostException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw Coop.unchecked(e);
        }
    }

    /** A lookup, named for dumps. */
    private record Lookup<T>(String what, Callable<T> body) implements Callable<T> {
        @Override
        public T call() throws Exception {
            return body.call();
        }

        @Override
        public String toString() {
            return "the DNS lookup " + what;
        }
    }

    /**
     * True for the names the JDK answers without any lookup and that are unambiguous: null, the
     * empty string (both the loopback address) and a plain dotted quad of four decimal numbers
     * 0..255 without leading zeros. Anything else goes to the pool, where the JDK decides.
     */
    static boolean isLiteral(String host) {
        if (host == null || host.isEmpty()) return true;
        int n = host.length();
        if (n > 15) return false;
        int parts = 0, value = 0, digits = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? host.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || (digits > 1 && host.charAt(i - digits) == '0')) return false;
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) return false;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    // ---------------------------------------------------------------- shutting down

    /**
     * Shuts this resolver's pool down; later lookups throw
     * {@link java.util.concurrent.RejectedExecutionException}.
     *
     * @throws IllegalStateException for the {@linkplain #getDefault() default resolver}, which the
     *         whole JVM shares
     */
    public void shutdown() {
        if (shared) throw new IllegalStateException("the default resolver is shared by the whole JVM and cannot be shut down");
        pool.shutdown();
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    @Override
    public String toString() {
        return "Resolver[" + pool + "]";
    }
}
