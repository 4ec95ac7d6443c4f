package io.coop.queue;

import java.util.ArrayDeque;

/**
 * A last-in-first-out {@link Queue} (gevent's {@code LifoQueue}): {@code get} returns the most
 * recently put item. Waiting, bounds and hand-off work as in {@link Queue}.
 *
 * <pre>{@code
 * LifoQueue<String> stack = new LifoQueue<>();
 * stack.put("a");
 * stack.put("b");
 * stack.get();   // "b"
 * }</pre>
 *
 * @param <E> the type of the items
 */
public class LifoQueue<E> extends Queue<E> {
    private final ArrayDeque<E> stack = new ArrayDeque<>();

    /** An unbounded LIFO queue. */
    public LifoQueue() {
        super();
    }

    /** A LIFO queue holding at most {@code maxsize} items; 0 means unbounded. */
    public LifoQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    protected void addItem(E item) {
        stack.addFirst(item);
    }

    @Override
    protected E removeItem() {
        return stack.pollFirst();
    }

    @Override
    protected E peekItem() {
        return stack.peekFirst();
    }

    @Override
    protected int itemCount() {
        return stack.size();
    }
}
