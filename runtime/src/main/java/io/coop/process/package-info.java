/**
 * Child processes that greenlets wait for cooperatively (gevent's {@code gevent.subprocess}):
 * {@link io.coop.process.Subprocess}. Pipes are read and written on coop's own pool threads,
 * the exit is seen through {@link java.lang.Process#onExit()}; the hub keeps running meanwhile.
 *
 * <pre>{@code
 * Subprocess.Result r = Subprocess.start("sh", "-c", "sleep 1; uname").communicate();
 * }</pre>
 */
package io.coop.process;
