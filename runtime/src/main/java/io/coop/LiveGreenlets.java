package io.coop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hub's live greenlets (started or scheduled to start, not yet dead): an intrusive list through
 * the greenlets' own {@code prevLive}/{@code nextLive} fields, O(1) add and remove with nothing
 * allocated, and the count of those blocked in a coop wait. When every live greenlet waits and
 * nothing else can wake one, the hub raises {@link LoopExit}. Hub thread only.
 */
final class LiveGreenlets {
    private Greenlet<?> head;
    private int count;
    /** Live virtual-thread greenlets currently blocked in a coop wait. */
    int coopWaiting;

    void add(Greenlet<?> g) {
        g.nextLive = head;
        if (head != null) head.prevLive = g;
        head = g;
        count++;
    }

    void remove(Greenlet<?> g) {
        if (g.prevLive != null) g.prevLive.nextLive = g.nextLive;
        else if (head == g) head = g.nextLive;
        else return;
        if (g.nextLive != null) g.nextLive.prevLive = g.prevLive;
        g.prevLive = g.nextLive = null;
        count--;
    }

    int count() {
        return count;
    }

    /** True when every live greenlet is blocked in a coop wait (or none is live). */
    boolean allInCoopWaits() {
        return count == coopWaiting;
    }

    /** The live greenlets, oldest first. */
    List<Greenlet<?>> list() {
        List<Greenlet<?>> all = new ArrayList<>(count);
        for (Greenlet<?> g = head; g != null; g = g.nextLive) all.add(g);
        Collections.reverse(all);
        return all;
    }
}
