package io.coop.queue;

/**
 * Thrown by {@link Queue#getNowait()}, {@link Queue#peekNowait()}, and by {@code get}/{@code peek}
 * with a timeout, when no item arrived in time (gevent's {@code queue.Empty}).
 *
 * <pre>{@code
 * try {
 *     String s = queue.get(Duration.ofMillis(500));
 * } catch (Empty e) {
 *     // nothing came within 500 ms
 * }
 * }</pre>
 */
public class Empty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An Empty saying {@code message}, for example which queue and how long the get waited. */
    public Empty(String message) {
        super(message);
    }
}
