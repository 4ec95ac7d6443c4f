package io.coop.examples.chat;

import io.coop.Coop;
import io.coop.WaitQueue;
import io.coop.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A user's unbounded queue of messages: {@link #put} never waits, {@link #poll} waits on the hub
 * for the next one (a FIFO hand-off: a message given to a waiting poll is never lost).
 *
 * <pre>{@code
 * Mailbox<String> box = new Mailbox<>();
 * Coop.spawn(() -> box.put("hi"));
 * String m = box.poll(Duration.ofSeconds(10));   // "hi", or null after 10 s
 * }</pre>
 *
 * @param <T> the messages' type
 */
final class Mailbox<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final WaitQueue<T> getters = new WaitQueue<>();

    void put(T item) {
        if (!getters.wakeOne(item)) items.addLast(item);
    }

    /** The next message, waiting up to {@code timeout}; null if none came. */
    T poll(Duration timeout) {
        T item = items.pollFirst();
        if (item != null) return item;
        Waiter<T> w = getters.await("a chat message", Coop.deadline(timeout, "timeout"));
        return w == null ? null : w.value();
    }
}
