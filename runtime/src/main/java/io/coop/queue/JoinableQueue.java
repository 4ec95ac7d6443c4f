package io.coop.queue;

import io.coop.Hub;
import io.coop.Coop;
import io.coop.WaitQueue;

import java.time.Duration;

/**
 * A {@link Queue} that counts unfinished tasks (gevent's {@code JoinableQueue}): every item put
 * adds one, every {@link #taskDone()} takes one away, and {@link #join()} waits until the count is
 * back to zero: all the work handed out has been done.
 *
 * <pre>{@code
 * JoinableQueue<String> urls = new JoinableQueue<>();
 * for (int i = 0; i < 4; i++) {
 *     Coop.spawn(() -> {
 *         while (true) {
 *             String url = urls.get();
 *             try { fetch(url); } finally { urls.taskDone(); }
 *         }
 *     });
 * }
 * urls.put("a"); urls.put("b");
 * urls.join();                     // both fetched
 * }</pre>
 *
 * @param <E> the type of the items
 */
public class JoinableQueue<E> extends Queue<E> {
    private int unfinished;
    private final WaitQueue<Void> joiners = new WaitQueue<>();

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        super();
    }

    /** A joinable queue holding at most {@code maxsize} items; 0 means unbounded. */
    public JoinableQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void onAccepted() {
        unfinished++;
    }

    /**
     * Marks one item taken from the queue as done; when none is left, wakes every {@link #join()}.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        hub.checkHubThread(this, "taskDone");
        if (unfinished <= 0) throw new IllegalStateException("taskDone() called more times than items were put into " + this);
        if (--unfinished == 0) joiners.wakeAll(null);
    }

    /** Waits until every item put has been marked done (at once if there are none). */
    public void join() {
        joinUntil(Hub.NO_DEADLINE);
    }

    /** Waits up to {@code timeout} (null: no limit) until every item put has been marked done; false on timeout. */
    public boolean join(Duration timeout) {
        return joinUntil(Coop.deadline(timeout, "timeout"));
    }

    private boolean joinUntil(long deadline) {
        hub.checkHubThread(this, "join");
        if (unfinished == 0) return true;
        return joiners.await(new JoinOp(this), deadline) != null;
    }

    /** Items put and not yet marked done. */
    public int unfinishedTasks() {
        return unfinished;
    }

    @Override
    public String toString() {
        String s = super.toString();
        return s.substring(0, s.length() - 1) + ", unfinished=" + unfinished + "]";
    }

    private record JoinOp(JoinableQueue<?> queue) {
        @Override
        public String toString() {
            return "JoinableQueue.join on " + queue;
        }
    }
}
