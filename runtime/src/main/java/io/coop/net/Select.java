package io.coop.net;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.Waiter;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * gevent's {@code select.select}: waits on the hub until at least one of several non-blocking
 * channels is ready, and says which.
 *
 * <pre>{@code
 * Select.Result r = Select.select(List.of(a, b), List.of(), Duration.ofSeconds(1));
 * for (SelectableChannel ch : r.readable()) { ... }     // both lists empty on timeout
 * }</pre>
 *
 * <p>Every channel in one call that is ready when the first wakes is reported: the hub learns
 * readiness of all its channels in the same poll. The channels must be in non-blocking mode.
 */
public final class Select {
    private static final long FOREVER = Coop.deadline(null, "timeout");

    private Select() {
    }

    /** The channels found ready, each list in the order given. */
    public record Result(List<SelectableChannel> readable, List<SelectableChannel> writable) {
        /** True when nothing is ready (the timeout passed). */
        public boolean isEmpty() {
            return readable.isEmpty() && writable.isEmpty();
        }
    }

    /**
     * Waits until a channel of {@code read} is readable (or acceptable) or one of {@code write} is
     * writable (or connectable), or {@code timeout} passes (null: no limit; zero: just poll).
     */
    public static Result select(Collection<? extends SelectableChannel> read,
                                Collection<? extends SelectableChannel> write, Duration timeout) {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(write, "write");
        long deadline = Coop.deadline(timeout, "timeout");
        for (SelectableChannel ch : read) Objects.requireNonNull(ch, "read channel");
        for (SelectableChannel ch : write) Objects.requireNonNull(ch, "write channel");
        Hub hub = Hub.current();
        LinkedHashSet<SelectableChannel> readable = new LinkedHashSet<>();
        LinkedHashSet<SelectableChannel> writable = new LinkedHashSet<>();
        if (read.isEmpty() && write.isEmpty()) {
            if (timeout != null) Coop.sleep(timeout);
            return new Result(List.of(), List.of());
        }
        Waiter<Void> first = new Waiter<>("select(" + read.size() + " read, " + write.size() + " write)");
        List<Greenlet<?>> watchers = new ArrayList<>(read.size() + write.size());
        try {
            for (SelectableChannel ch : read) watchers.add(watch(hub, ch, Sockets.readOps(ch), readable, first));
            for (SelectableChannel ch : write) watchers.add(watch(hub, ch, Sockets.writeOps(ch), writable, first));
            if (timeout == null || !timeout.isZero()) first.await(deadline);
            // let the watchers woken by the same poll record their channel; with a zero timeout
            // these passes are the poll: one to register the watchers, one to see the result
            for (int i = 0; i < 3; i++) Coop.sleep(0);
        } finally {
            for (Greenlet<?> g : watchers) if (!g.isDead()) g.kill(new GreenletExit("select done"), false, null);
        }
        return new Result(ordered(read, readable), ordered(write, writable));
    }

    private static Greenlet<?> watch(Hub hub, SelectableChannel ch, int ops,
                                     LinkedHashSet<SelectableChannel> into, Waiter<Void> first) {
        if (!ch.isOpen()) throw new IllegalArgumentException("the channel is closed: " + ch);
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: " + ch);
        }
        Greenlet<Object> g = new Greenlet<>(() -> {
            hub.waitIo(ch, ops, FOREVER); // killed when select returns
            into.add(ch);
            first.wake(null);
            return null;
        });
        g.setName("select watcher");
        return g.start();
    }

    private static List<SelectableChannel> ordered(Collection<? extends SelectableChannel> given, LinkedHashSet<SelectableChannel> ready) {
        if (ready.isEmpty()) return List.of();
        List<SelectableChannel> out = new ArrayList<>(ready.size());
        for (SelectableChannel ch : given) if (ready.contains(ch) && !out.contains(ch)) out.add(ch);
        return out;
    }
}
