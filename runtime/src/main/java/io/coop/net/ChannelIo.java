package io.coop.net;

import io.coop.Hub;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Reading and writing a non-blocking socket channel on the hub, with a deadline: the one loop
 * behind {@link CoopSocket}'s streams and the HTTP server's connections. A call that finds the
 * channel empty (or its send buffer full) waits for readiness with {@link Hub#waitIo}; a call
 * that never had to wait passes a turn point ({@link Hub#yieldIfHeld}) instead, so that a fast
 * peer cannot keep the hub from the other connections.
 *
 * <pre>{@code
 * int n = ChannelIo.read(channel, buf, deadline, false, terms);   // >= 1 byte, or -1 at end of stream
 * ChannelIo.write(channel, terms, head, body);                  // all of both
 * }</pre>
 *
 * <p>What differs between callers (how long a call may wait, what a timeout or a closed channel
 * throws, a minimum data rate) is the caller's {@link Terms}. Not part of coop's API: public
 * only because {@code io.coop.http} uses it.
 */
public final class ChannelIo {
    private ChannelIo() {
    }

    /**
     * One caller's side of the loop, implemented by an object the caller already has (nothing is
     * allocated per call). {@code op} is {@link SelectionKey#OP_READ} or {@link SelectionKey#OP_WRITE}.
     * Only the deadline must be given; the exceptions are by default those of a JDK socket.
     */
    public interface Terms {
        /**
         * The deadline ({@link System#nanoTime()} scale, {@link Hub#NO_DEADLINE} for none) that every
         * wait of one call shares, asked at the call's first wait (a call that never waits reads no
         * clock); {@code given} is the deadline the call was given.
         */
        long deadline(int op, long given);

        /** What reading or writing a closed channel throws. */
        default IOException closed() {
            return new SocketException("Socket is closed");
        }

        /** What a call throws when a wait on {@code op} ended unready; {@code byPace}: its {@link Pace} ended it first. */
        default SocketTimeoutException timedOut(int op, boolean byPace) {
            return new SocketTimeoutException(op == SelectionKey.OP_READ ? "Read timed out" : "Write timed out");
        }

        /** The minimum data rate that also bounds the waits on {@code op}, or null (the default) for none. */
        default Pace pace(int op) {
            return null;
        }
    }

    /** A minimum data rate: how long a wait may last given what the peer has moved so far. */
    public interface Pace {
        /** The latest moment a wait that starts {@code now} may end. */
        long deadline(long now);

        /** A wait on the peer lasted {@code nanos}. */
        void waited(long nanos);

        /** The peer sent or took {@code n} bytes. */
        void transferred(long n);
    }

    /**
     * Reads into {@code buf} (which has room) until at least one byte came: the count, or -1 at end
     * of stream. {@code waitFirst}: wait for readiness before the first read (the last read
     * emptied the socket, so reading at once would most likely find nothing).
     */
    public static int read(SocketChannel channel, ByteBuffer buf, long deadline, boolean waitFirst, Terms terms)
            throws IOException {
        boolean waited = false;
        if (waitFirst && channel.isOpen()) {
            deadline = terms.deadline(SelectionKey.OP_READ, deadline);
            await(channel, SelectionKey.OP_READ, deadline, terms);
            waited = true;
        }
        while (true) {
            int n;
            try {
                n = channel.read(buf);
            } catch (ClosedChannelException e) {
                throw terms.closed();
            }
            if (n != 0) {
                if (n > 0) transferred(terms, SelectionKey.OP_READ, n);
                if (!waited) Hub.yieldIfHeld(); // data without a wait: a fast sender must not keep the hub
                return n;
            }
            if (!waited) deadline = terms.deadline(SelectionKey.OP_READ, deadline);
            await(channel, SelectionKey.OP_READ, deadline, terms);
            waited = true;
        }
    }

    /** Writes all of {@code buf}, waiting while the socket's send buffer is full. */
    public static void write(SocketChannel channel, ByteBuffer buf, Terms terms) throws IOException {
        write(channel, buf, null, terms);
    }

    /** Writes all of {@code bufs}, in one system call when the socket takes it. */
    public static void write(SocketChannel channel, Terms terms, ByteBuffer... bufs) throws IOException {
        write(channel, null, bufs, terms);
    }

    private static void write(SocketChannel channel, ByteBuffer one, ByteBuffer[] bufs, Terms terms) throws IOException {
        long remaining = 0;
        if (one != null) remaining = one.remaining();
        else for (ByteBuffer b : bufs) remaining += b.remaining();
        boolean waited = false;
        long deadline = Hub.NO_DEADLINE;
        while (remaining > 0) {
            long n;
            try {
                n = one != null ? channel.write(one) : bufs.length == 1 ? channel.write(bufs[0]) : channel.write(bufs);
            } catch (ClosedChannelException e) {
                throw terms.closed();
            }
            if (n > 0) {
                remaining -= n;
                transferred(terms, SelectionKey.OP_WRITE, n);
            } else {
                if (!waited) deadline = terms.deadline(SelectionKey.OP_WRITE, deadline);
                await(channel, SelectionKey.OP_WRITE, deadline, terms);
                waited = true;
            }
        }
        if (!waited) Hub.yieldIfHeld(); // a write that never blocked: a fast reader must not keep the hub
    }

    private static void transferred(Terms terms, int op, long n) {
        Pace pace = terms.pace(op);
        if (pace != null) pace.transferred(n);
    }

    /** One wait for readiness, bounded by the call's deadline and the pace; throws when it ended unready. */
    private static void await(SocketChannel channel, int op, long deadline, Terms terms) throws SocketTimeoutException {
        Pace pace = terms.pace(op);
        if (pace == null) {
            if (!Hub.current().waitIo(channel, op, deadline)) throw terms.timedOut(op, false);
            return;
        }
        long now = System.nanoTime();
        long byPace = pace.deadline(now);
        boolean ready = Hub.current().waitIo(channel, op, Math.min(deadline, byPace));
        pace.waited(System.nanoTime() - now);
        if (!ready) throw terms.timedOut(op, byPace < deadline);
    }
}
