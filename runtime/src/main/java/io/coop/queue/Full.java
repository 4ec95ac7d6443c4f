package io.coop.queue;

/**
 * Thrown by {@link Queue#putNowait}, and by {@code put} with a timeout, when the queue had no room
 * for the item in time (gevent's {@code queue.Full}). The item was not inserted.
 *
 * <pre>{@code
 * try {
 *     queue.putNowait(job);
 * } catch (Full e) {
 *     reject(job);      // the queue is at its maxsize
 * }
 * }</pre>
 */
public class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A Full saying {@code message}, for example which queue and how long the put waited. */
    public Full(String message) {
        super(message);
    }
}
