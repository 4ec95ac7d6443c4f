package io.coop.pool;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.WaitQueue;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Group} that holds at most {@code size} greenlets (gevent's {@code gevent.pool.Pool}):
 * {@link #spawn} waits while the pool is full, and the waiting spawners get the slots that free
 * up first come, first served. Use it to bound concurrency: connections, requests in flight,
 * workers of a map.
 *
 * <pre>{@code
 * Coop.run(() -> {
 *     Pool pool = new Pool(2);
 *     for (String url : urls) pool.spawn(() -> fetch(url));    // never more than 2 fetches at once
 *     pool.join();
 *
 *     for (int n : pool.imapUnordered(i -> slowSquare(i), List.of(1, 2, 3, 4))) System.out.println(n);
 *     return null;
 * });
 * }</pre>
 *
 * <p>Every member takes a slot, also a greenlet that was started elsewhere and {@link #add added}.
 * A slot frees when its member dies or is {@link #discard discarded}; it passes straight to the
 * first greenlet waiting in {@code spawn}/{@code add}, so a late-comer never overtakes one that
 * waits. {@link #imap} and {@link #imapUnordered} keep at most {@code size} items running and
 * start the next as a slot frees, reading the input lazily, so they work on endless inputs.
 */
public class Pool extends Group {
    private final int size;
    /** Slots taken: members, plus slots handed to woken spawners that have not added their greenlet yet. */
    private int used;
    private final WaitQueue<Void> spawners = new WaitQueue<>();
    private final WaitQueue<Void> availabilityWaiters = new WaitQueue<>();
    private final Object slotWait = new Object() {
        @Override
        public String toString() {
            return "a free slot in " + Pool.this;
        }
    };

    /** A pool of at most {@code size} greenlets. */
    public Pool(int size) {
        if (size <= 0) throw new IllegalArgumentException("pool size must be positive: " + size);
        this.size = size;
    }

    /** The most greenlets the pool holds (gevent's {@code pool.size}); {@link #size()} is how many it holds now. */
    public int capacity() {
        return size;
    }

    /** How many greenlets can be added now without waiting. */
    public int freeCount() {
        return size - used;
    }

    /** True if {@link #spawn} would wait now. */
    public boolean isFull() {
        return used >= size;
    }

    /**
     * Adds {@code greenlet}, waiting up to {@code timeout} (null: no limit) for a free slot; false
     * if none freed in time. A member, or a dead greenlet, takes no slot.
     */
    @Override
    public boolean add(Greenlet<?> greenlet, Duration timeout) {
        Objects.requireNonNull(greenlet, "greenlet");
        long deadline = Coop.deadline(timeout, "timeout");
        checkThread();
        if (contains(greenlet) || greenlet.isDead()) return true;
        if (used < size && spawners.isEmpty()) {
            used++;
        } else if (spawners.await(slotWait, deadline) == null) {
            return false; // timed out; a woken wait got the slot of the member that left
        }
        if (contains(greenlet) || greenlet.isDead()) { // changed while we waited
            releaseSlot();
            return true;
        }
        addMember(greenlet);
        return true;
    }

    @Override
    void released(Greenlet<?> greenlet) {
        releaseSlot();
    }

    private void releaseSlot() {
        if (spawners.wakeOne(null)) return; // handed straight to the first waiting spawner
        used--;
        availabilityWaiters.wakeAll(null);
        signalIfEmpty();
    }

    @Override
    boolean quiet() {
        return used == 0 && feeding == 0;
    }

    /** Waits until a slot is free; returns {@link #freeCount()}. */
    public int waitAvailable() {
        return waitAvailable(null);
    }

    /**
     * Waits until a slot is free, or {@code timeout} passes (null: no limit); returns
     * {@link #freeCount()}, so 0 means the time ran out. Greenlets already waiting in
     * {@link #spawn} get freed slots before anyone who only waits here sees them.
     */
    public int waitAvailable(Duration timeout) {
        long deadline = Coop.deadline(timeout, "timeout");
        checkThread();
        while (isFull()) {
            if (availabilityWaiters.await(slotWait, deadline) == null) return 0;
        }
        return freeCount();
    }

    @Override
    String contents() {
        return used + "/" + size + " slots taken, size=" + size() + (spawners.isEmpty() ? "" : ", " + spawners.size() + " waiting");
    }
}
