package io.coop;

import java.util.Arrays;

/**
 * The hub's timers: an indexed binary min-heap ordered by (deadline, sequence), so timers with the
 * same deadline fire in the order they were scheduled and a cancel is O(log n) with no garbage.
 * Hub-thread only.
 */
final class TimerHeap {

    /** One scheduled callback; {@link #cancel()} removes it from the heap. */
    static final class Timer {
        /** Orders the heap: deadlines are measured from the start of the hub pass that set them. */
        final long deadline;
        /** Real time before which the timer never fires (the deadline measured from the actual call). */
        final long notBefore;
        final long seq;
        final Runnable action;
        private TimerHeap heap;
        private int index = -1;

        Timer(long deadline, long notBefore, long seq, Runnable action) {
            this.deadline = deadline;
            this.notBefore = notBefore;
            this.seq = seq;
            this.action = action;
        }

        /** Removes the timer if it has not fired yet; harmless afterwards. */
        void cancel() {
            if (heap != null) heap.remove(this);
        }

        boolean isPending() {
            return heap != null;
        }

        boolean before(Timer o) {
            return deadline != o.deadline ? deadline - o.deadline < 0 : seq < o.seq;
        }
    }

    private Timer[] heap = new Timer[64];
    private int size;
    private long nextSeq;

    Timer add(long deadline, long notBefore, Runnable action) {
        Timer t = new Timer(deadline, notBefore, nextSeq++, action);
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        t.heap = this;
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
        return t;
    }

    int size() {
        return size;
    }

    /** The earliest timer, or null. */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /**
     * Removes and returns the first timer if it is due at {@code now}, else null. A timer due
     * behind a first one that is not yet due waits for it: at most the length of a pass. Timers
     * with the deadline of one just fired (same duration, set in the same pass) fire with it, in
     * the order they were set, so ties never split across passes.
     */
    Timer pollDue(long now) {
        if (size == 0) return null;
        Timer t = heap[0];
        boolean tie = firedAny && t.deadline == lastFired;
        if (!tie && t.notBefore - now > 0) return null;
        remove(t);
        firedAny = true;
        lastFired = t.deadline;
        return t;
    }

    /** Forgets the last fired deadline: call once a batch of due timers is done. */
    void endBatch() {
        firedAny = false;
    }

    private boolean firedAny;
    private long lastFired;

    private void remove(Timer t) {
        int i = t.index;
        t.heap = null;
        t.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) siftUp(i);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!t.before(p)) break;
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) child = right;
            Timer c = heap[child];
            if (!c.before(t)) break;
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
