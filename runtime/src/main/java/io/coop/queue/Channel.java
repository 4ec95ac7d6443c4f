package io.coop.queue;

/**
 * A queue with no room at all (gevent's {@code Channel}): every {@code put} waits until a
 * {@code get} takes its item, and every {@code get} waits for a {@code put} (a rendezvous).
 *
 * <pre>{@code
 * Channel<String> ch = new Channel<>();
 * Coop.spawn(() -> System.out.println("got " + ch.get()));
 * ch.put("hello");        // returns once the getter has the item (and has run)
 * }</pre>
 *
 * <p>A blocking {@code put} that finds a getter waiting pairs with it through a hub callback: the
 * getter is woken first, then the putter, so the getter runs before the putter returns. A
 * {@code get} that finds a putter waiting takes its item at once and wakes it.
 * {@link #putNowait} succeeds only when a getter waits, {@link #getNowait()} only when a putter
 * waits; {@link #peekNowait()} shows the first waiting putter's item. {@code size()} and
 * {@code maxsize()} are 0, {@code isEmpty()} and {@code isFull()} are always true.
 *
 * @param <E> the type of the items
 */
public class Channel<E> extends Queue<E> {

    /** A new channel. */
    public Channel() {
        super(0, 0);
    }
}
