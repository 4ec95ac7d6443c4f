/**
 * Cooperative host name lookups (gevent's threaded resolver): {@link io.coop.dns.Resolver} runs
 * the JDK's own {@link java.net.InetAddress} lookups on a small pool of coop threads, so results
 * and exceptions are the JDK's, while the calling greenlet waits and the hub runs the others.
 *
 * <pre>{@code
 * InetAddress[] all = Resolver.getDefault().getAllByName("localhost");
 * }</pre>
 */
package io.coop.dns;
