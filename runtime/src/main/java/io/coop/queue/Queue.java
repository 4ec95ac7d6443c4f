package io.coop.queue;

import io.coop.Coop;
import io.coop.Hub;
import io.coop.WaitQueue;
import io.coop.Waiter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A first-in-first-out queue for greenlets, optionally bounded (gevent's {@code Queue}).
 *
 * <pre>{@code
 * Queue<Integer> tasks = new Queue<>(3);          // at most 3 items; 0 (or new Queue<>()) = unbounded
 * Coop.spawn(() -> {                              // boss: put waits while the queue is full
 *     for (int i = 1; i <= 10; i++) tasks.put(i);
 * });
 * for (String name : List.of("steve", "john", "bob")) {
 *     Coop.spawn(() -> {                          // workers
 *         try {
 *             while (true) System.out.println(name + " got " + tasks.get(Duration.ofSeconds(1)));
 *         } catch (Empty e) {
 *             System.out.println(name + ": quitting time");
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p><b>Waiting.</b> {@code get} waits while the queue is empty, {@code put} while it is full;
 * each has a form with a timeout ({@link Empty}/{@link Full} when it passes) and a non-blocking
 * {@code ...Nowait} form. Waiters are served first in first out, by hand-off: an item put while
 * getters wait goes straight to the first of them, and the {@code get} that frees a slot moves the
 * first waiting putter's item into the queue and wakes that putter. So an item handed to a woken
 * getter is never lost, even if a {@link io.coop.Timeout} or kill arrives in the same instant
 * (that exception is raised at the greenlet's next blocking point instead); a putter interrupted
 * before its hand-off leaves the queue untouched, and one that was handed off inserted its item
 * exactly once.
 *
 * <p><b>Peeking.</b> {@link #peek()} waits until there is an item and returns the next one
 * without taking it; when it had to wait, it returns the item whose arrival woke it, which a
 * getter may take in the same instant.
 *
 * <p><b>Subclasses</b> change only how items are stored, by overriding the protected hooks
 * {@link #addItem}, {@link #removeItem}, {@link #peekItem}, {@link #itemCount} (and optionally
 * {@link #checkItem}); all the waiting logic stays here. Null items are rejected. A queue belongs
 * to the hub of the thread that created it: use it from that hub's greenlets (the non-blocking
 * calls also from its callbacks).
 *
 * @param <E> the type of the items
 */
public class Queue<E> {
    private static final Object NONE = new Object();

    final Hub hub;
    private final int maxsize;
    /** How many items the storage may hold: maxsize, unbounded, or 0 for a {@link Channel}. */
    private final int capacity;
    private final WaitQueue<E> getters = new WaitQueue<>();
    /** Waiting putters; each one's item is its waiter's attachment until a getter moves it. */
    private final WaitQueue<Void> putters = new WaitQueue<>();
    private final WaitQueue<E> peekers = new WaitQueue<>();
    private boolean pairingPosted;
    private ArrayDeque<E> fifo;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue holding at most {@code maxsize} items; 0 means unbounded.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public Queue(int maxsize) {
        this(maxsize, capacityFor(maxsize));
    }

    Queue(int maxsize, int capacity) {
        this.hub = Hub.current();
        this.maxsize = maxsize;
        this.capacity = capacity;
    }

    private static int capacityFor(int maxsize) {
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative (0 = unbounded): " + maxsize);
        return maxsize == 0 ? Integer.MAX_VALUE : maxsize;
    }

    // ---------------------------------------------------------------- storage hooks (subclasses)

    /** Stores {@code item} (never null). Called only when {@link #itemCount()} is below the capacity. */
    protected void addItem(E item) {
        if (fifo == null) fifo = new ArrayDeque<>();
        fifo.addLast(item);
    }

    /** Removes and returns the next item. Called only when {@link #itemCount()} is positive. */
    protected E removeItem() {
        return fifo.pollFirst();
    }

    /** The next item, not removed. Called only when {@link #itemCount()} is positive. */
    protected E peekItem() {
        return fifo.peekFirst();
    }

    /** How many items are stored. */
    protected int itemCount() {
        return fifo == null ? 0 : fifo.size();
    }

    /**
     * Checks an item at the {@code put} call, before anything waits or moves; throw here (for
     * example {@link ClassCastException}) to reject it. Items are never null.
     */
    protected void checkItem(E item) {
    }

    /** Called once for every item the queue accepts (stored or handed to a getter). */
    void onAccepted() {
    }

    // ---------------------------------------------------------------- put

    /** Puts {@code item}, waiting as long as it takes while the queue is full. */
    public void put(E item) {
        putUntil(item, Hub.NO_DEADLINE);
    }

    /**
     * Puts {@code item}, waiting up to {@code timeout} (null: no limit; zero: do not wait) while the
     * queue is full.
     *
     * @throws Full if there was no room in time; the item was not inserted
     */
    public void put(E item, Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout");
        if (!putUntil(item, deadline)) throw new Full(this + " had no room for the item within " + timeout);
    }

    /**
     * Puts {@code item} if there is room now (or, for a {@link Channel}, a getter waits); never waits.
     *
     * @throws Full if not
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "item");
        hub.checkHubThread(this, "putNowait");
        checkItem(item);
        if (!tryPut(item, true)) throw new Full(this + " is full");
    }

    private boolean putUntil(E item, long deadline) {
        Objects.requireNonNull(item, "item");
        hub.checkHubThread(this, "put");
        checkItem(item);
        // a put that may not wait at all takes a waiting getter at once, as putNowait does
        boolean mayWait = deadline == Hub.NO_DEADLINE || deadline - System.nanoTime() > 0;
        if (tryPut(item, !mayWait)) return true;
        Waiter<Void> w = new Waiter<>(new Op("put", this));
        w.attachment = item;
        arrived(item);
        if (!getters.isEmpty()) postPairing();
        return putters.await(w, deadline) != null;
    }

    /** Accepts {@code item} now if it can: straight to a waiting getter, else into free room. */
    private boolean tryPut(E item, boolean nowait) {
        if (!putters.isEmpty()) return false; // earlier putters go first
        if (!getters.isEmpty()) {
            // a blocking put on a Channel waits until the pairing callback has woken the getter,
            // so the getter runs before the putter returns
            if (capacity == 0 && !nowait) return false;
            arrived(item);
            onAccepted();
            getters.wakeOne(item);
            return true;
        }
        if (itemCount() < capacity) {
            addItem(item);
            onAccepted();
            arrived(peekItem());
            return true;
        }
        return false;
    }

    /** Wakes the greenlets waiting in {@link #peek()}: {@code item} is the next one now. */
    private void arrived(E item) {
        if (!peekers.isEmpty()) peekers.wakeAll(item);
    }

    private void postPairing() {
        if (!pairingPosted) {
            pairingPosted = true;
            hub.post(this::pair);
        }
    }

    /** Hub callback (rendezvous): hands each waiting putter's item to a waiting getter, getter woken first. */
    @SuppressWarnings("unchecked")
    private void pair() {
        pairingPosted = false;
        while (!putters.isEmpty() && !getters.isEmpty()) {
            Waiter<Void> putter = putters.poll();
            E item = (E) putter.attachment;
            putter.attachment = null;
            onAccepted();
            getters.wakeOne(item);
            putter.wake(null);
        }
    }

    // ---------------------------------------------------------------- get

    /** Removes and returns the next item, waiting as long as it takes while the queue is empty. */
    public E get() {
        return getUntil(Hub.NO_DEADLINE);
    }

    /**
     * Removes and returns the next item, waiting up to {@code timeout} (null: no limit; zero: do
     * not wait) while the queue is empty.
     *
     * @throws Empty if no item came in time
     */
    public E get(Duration timeout) {
        return getUntil(Coop.deadline(timeout, "timeout"));
    }

    /**
     * Removes and returns the next item if there is one now (for a {@link Channel}: takes the first
     * waiting putter's item); never waits.
     *
     * @throws Empty if not
     */
    @SuppressWarnings("unchecked")
    public E getNowait() {
        hub.checkHubThread(this, "getNowait");
        Object item = tryGet();
        if (item == NONE) throw new Empty(this + " is empty");
        return (E) item;
    }

    @SuppressWarnings("unchecked")
    private E getUntil(long deadline) {
        hub.checkHubThread(this, "get");
        Object item = tryGet();
        if (item != NONE) return (E) item;
        Waiter<E> w = getters.await(new Op("get", this), deadline);
        if (w == null) throw new Empty(this + ": no item came within the timeout");
        return w.value();
    }

    /** Takes the next item now if it can, else {@link #NONE}. */
    @SuppressWarnings("unchecked")
    private Object tryGet() {
        if (!getters.isEmpty()) return NONE; // earlier getters go first
        if (itemCount() > 0) {
            E item = removeItem();
            admitPutters();
            return item;
        }
        Waiter<Void> putter = putters.poll(); // rendezvous: take it from the first putter
        if (putter == null) return NONE;
        E item = (E) putter.attachment;
        putter.attachment = null;
        onAccepted();
        putter.wake(null);
        return item;
    }

    /** Moves waiting putters' items into the free room, first come first moved, and wakes them. */
    @SuppressWarnings("unchecked")
    private void admitPutters() {
        while (itemCount() < capacity) {
            Waiter<Void> putter = putters.poll();
            if (putter == null) return;
            E item = (E) putter.attachment;
            putter.attachment = null;
            addItem(item);
            onAccepted();
            putter.wake(null);
        }
    }

    // ---------------------------------------------------------------- peek

    /** The next item, not removed, waiting as long as it takes for one. */
    public E peek() {
        return peekUntil(Hub.NO_DEADLINE);
    }

    /**
     * The next item, not removed, waiting up to {@code timeout} (null: no limit) for one.
     *
     * @throws Empty if no item came in time
     */
    public E peek(Duration timeout) {
        return peekUntil(Coop.deadline(timeout, "timeout"));
    }

    /**
     * The next item, not removed (for a {@link Channel}: the first waiting putter's item); never waits.
     *
     * @throws Empty if there is none
     */
    @SuppressWarnings("unchecked")
    public E peekNowait() {
        hub.checkHubThread(this, "peekNowait");
        Object item = visible();
        if (item == NONE) throw new Empty(this + " is empty");
        return (E) item;
    }

    @SuppressWarnings("unchecked")
    private E peekUntil(long deadline) {
        hub.checkHubThread(this, "peek");
        Object item = visible();
        if (item != NONE) return (E) item;
        Waiter<E> w = peekers.await(new Op("peek", this), deadline);
        if (w == null) throw new Empty(this + ": no item came within the timeout");
        return w.value();
    }

    private Object visible() {
        if (itemCount() > 0) return peekItem();
        Waiter<Void> putter = putters.peek();
        return putter != null ? putter.attachment : NONE;
    }

    // ---------------------------------------------------------------- state

    /** How many items are queued (not counting waiting putters' items). */
    public int size() {
        return itemCount();
    }

    /** True when no item is queued. */
    public boolean isEmpty() {
        return itemCount() == 0;
    }

    /** True when a {@code put} would wait (always, for a {@link Channel}). */
    public boolean isFull() {
        return itemCount() >= capacity;
    }

    /** The bound given at construction; 0 for an unbounded queue (and for a {@link Channel}). */
    public int maxsize() {
        return maxsize;
    }

    /** Greenlets waiting in {@code get} now. */
    public int getterCount() {
        return getters.size();
    }

    /** Greenlets waiting in {@code put} now. */
    public int putterCount() {
        return putters.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("[size=").append(itemCount());
        if (maxsize > 0) sb.append(", maxsize=").append(maxsize);
        if (!getters.isEmpty()) sb.append(", getters=").append(getters.size());
        if (!putters.isEmpty()) sb.append(", putters=").append(putters.size());
        return sb.append(']').toString();
    }

    /** Describes a wait in dumps and LoopExit messages, lazily. */
    private record Op(String what, Queue<?> queue) {
        @Override
        public String toString() {
            return queue.getClass().getSimpleName() + "." + what + " on " + queue;
        }
    }
}
