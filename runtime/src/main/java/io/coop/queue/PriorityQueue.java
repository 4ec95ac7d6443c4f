package io.coop.queue;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that returns the least item first (gevent's {@code PriorityQueue}), by natural
 * order or by a {@link Comparator}. Items that compare equal come out in no particular order.
 * Waiting, bounds and hand-off work as in {@link Queue}.
 *
 * <pre>{@code
 * PriorityQueue<Integer> q = new PriorityQueue<>();
 * q.put(3); q.put(1); q.put(2);
 * q.get();   // 1
 *
 * PriorityQueue<String> longestFirst = new PriorityQueue<>(Comparator.comparing(String::length).reversed());
 * }</pre>
 *
 * <p>With natural order, an item that is not {@link Comparable} (or not comparable with the
 * queued ones) is rejected at the {@code put} call with {@link ClassCastException}.
 *
 * @param <E> the type of the items
 */
public class PriorityQueue<E> extends Queue<E> {
    private final java.util.PriorityQueue<E> heap;
    private final Comparator<? super E> comparator;

    /** An unbounded queue in natural order. */
    public PriorityQueue() {
        this(0, null);
    }

    /** A queue in natural order holding at most {@code maxsize} items; 0 means unbounded. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** An unbounded queue ordered by {@code comparator}. */
    public PriorityQueue(Comparator<? super E> comparator) {
        this(0, Objects.requireNonNull(comparator, "comparator"));
    }

    /** A queue ordered by {@code comparator} (null: natural order) holding at most {@code maxsize} items. */
    public PriorityQueue(int maxsize, Comparator<? super E> comparator) {
        super(maxsize);
        this.comparator = comparator;
        this.heap = new java.util.PriorityQueue<>(comparator);
    }

    /** The comparator, or null for natural order. */
    public Comparator<? super E> comparator() {
        return comparator;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void checkItem(E item) {
        if (comparator == null) {
            if (!(item instanceof Comparable)) {
                throw new ClassCastException("PriorityQueue without a comparator needs Comparable items, got " + item.getClass().getName());
            }
            E head = heap.peek();
            if (head != null) ((Comparable) item).compareTo(head);
        }
    }

    @Override
    protected void addItem(E item) {
        heap.add(item);
    }

    @Override
    protected E removeItem() {
        return heap.poll();
    }

    @Override
    protected E peekItem() {
        return heap.peek();
    }

    @Override
    protected int itemCount() {
        return heap.size();
    }
}
