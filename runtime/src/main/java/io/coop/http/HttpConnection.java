package io.coop.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import io.coop.GreenletExit;
import io.coop.Hub;
import io.coop.net.Sockets;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection's request loop, run in the connection's greenlet: read a request head, run the
 * handler chain, finish the response, and go again while the connection is kept alive. Requests
 * of one connection are served one after the other (pipelined requests wait in the buffer), so
 * responses leave in request order. Pipelined responses leave together: see {@link #responseFinished}.
 */
final class HttpConnection {
    private static final System.Logger LOG = System.getLogger("io.coop");

    final Transport transport;
    final HttpServer server;
    private final Contexts contexts;
    private final Limits limits;
    final HttpInput input;
    final Output output;
    /** Requests served on this connection. */
    int served;
    /** True while waiting for the next request (the server closes such connections at once when it stops). */
    boolean idle;
    /** The greenlet serving this connection. */
    io.coop.Greenlet<?> greenlet;
    private boolean peerFailureCounted;
    /** The hub callback that writes held-back responses while this connection's greenlet waits (made at the first hold). */
    private Runnable writeHeld;
    private boolean writeHeldPosted;

    HttpConnection(Transport transport, HttpServer server, Contexts contexts, Limits limits, BufferPool pool) {
        this.transport = transport;
        this.server = server;
        this.contexts = contexts;
        this.limits = limits;
        this.output = new Output(transport, pool);
        this.input = new HttpInput(transport, pool, Limits.nanos(limits.readTimeout), output);
    }

    /** Serves requests until the connection ends; never throws (but a kill passes through). */
    void serve() {
        try {
            while (serveOne()) {
                Hub.yieldIfHeld(); // the next request may be buffered already: give the other connections a turn first
            }
            output.flushHeld(); // answers held back for a pipelined request that is not served
        } catch (GreenletExit e) {
            throw e;
        } catch (IOException e) {
            // the peer went away or a write timed out: nothing to answer
            if (Sockets.isPeerFailure(e)) peerFailed(e);
        } catch (RuntimeException e) {
            if (Sockets.isPeerFailure(e)) peerFailed(e);
            else LOG.log(System.Logger.Level.ERROR, "HTTP connection from " + transport.remoteAddress() + " failed", e);
        } finally {
            input.release();
            output.release();
            transport.close();
            if (server != null) server.writes += output.writes;
        }
    }

    /** One request and its response; false when the connection is to be closed. */
    private boolean serveOne() throws IOException {
        if (!input.hasBuffered()) {
            output.flushHeld(); // before waiting for the client, which may wait for these
            input.release();
            output.release();
            if (server != null && server.stopping) return false;
            idle = true;
            try {
                long idleNanos = Limits.nanos(limits.idleTimeout);
                if (!transport.awaitReadable(idleNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + idleNanos)) return false;
            } finally {
                idle = false;
            }
            if (server != null && server.stopping) return false;
        }
        Request request;
        input.markMessageStart();
        transport.newExchange();
        long readNanos = input.readTimeoutNanos, requestNanos = Limits.nanos(limits.requestTimeout), start = System.nanoTime();
        input.headDeadline = readNanos == 0 ? Long.MAX_VALUE : start + readNanos;
        input.requestDeadline = requestNanos == 0 ? Long.MAX_VALUE : start + requestNanos;
        try {
            request = RequestParser.parse(input, limits);
        } catch (HttpError e) {
            refuse(e.status, e.detail);
            return false;
        } catch (SocketTimeoutException e) {
            if (input.consumed > 0) refuse(408, "the request head did not arrive in time (" + e.getMessage() + ")");
            return false;
        } catch (EOFException e) {
            peerFailed(e); // the stream ended inside the head
            return false;
        } finally {
            input.headDeadline = Long.MAX_VALUE;
        }
        if (request == null) return false;
        if (!input.hasBuffered() || request.contentLength == 0) input.release();

        HttpContext context = contexts.find(request.uri.getPath());
        Exchange x = new Exchange(this, request, context, input, output, limits);
        Throwable failure = null;
        try {
            if (context == null) {
                byte[] body = "404 Not Found: no context for this path\n".getBytes(StandardCharsets.US_ASCII);
                x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                x.sendResponseHeaders(404, body.length);
                x.getResponseBody().write(body);
            } else {
                runChain(context, x);
            }
        } catch (GreenletExit e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) throw (Error) t;
            failure = t;
        }
        served++;
        if (server != null) server.requests++;
        return finish(x, failure);
    }

    private void runChain(HttpContext context, Exchange x) throws IOException {
        Authenticator auth = context.getAuthenticator();
        if (auth != null) {
            Authenticator.Result r = auth.authenticate(x);
            if (r instanceof Authenticator.Success s) {
                x.principal = s.getPrincipal();
            } else {
                int code = r instanceof Authenticator.Failure f ? f.getResponseCode() : ((Authenticator.Retry) r).getResponseCode();
                x.sendResponseHeaders(code, -1);
                return;
            }
        }
        java.util.List<Filter> filters = context.getFilters();
        if (filters.isEmpty()) context.getHandler().handle(x);
        else new Filter.Chain(filters, context.getHandler()).doFilter(x);
    }

    /** Completes the exchange after the handler; true if the connection serves another request. */
    private boolean finish(Exchange x, Throwable failure) throws IOException {
        HttpError bodyError = x.requestBody.error;
        if (bodyError != null && Sockets.isPeerFailure(bodyError)) peerFailed(bodyError);
        if (!x.headersSent) {
            if (bodyError != null) {
                refuse(bodyError.status, bodyError.detail);
            } else if (failure != null && Sockets.isPeerFailure(failure)) {
                peerFailed(failure); // a reset or a broken pipe: nobody is left to answer
            } else if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "HTTP handler failed on " + x.request.requestLine(), failure);
                refuse(500, "the handler failed (the server's log has the details)");
            } else {
                LOG.log(System.Logger.Level.WARNING, "HTTP handler returned without sending a response to "
                        + x.request.requestLine() + ": answering 500");
                refuse(500, "the handler sent no response");
            }
            return false;
        }
        if (failure != null) {
            if (Sockets.isPeerFailure(failure)) {
                peerFailed(failure);
            } else if (!(failure instanceof IOException)) {
                LOG.log(System.Logger.Level.ERROR, "HTTP handler failed on " + x.request.requestLine() + " after sending headers", failure);
            }
            return false; // the response may be cut short: only closing tells the client
        }
        try {
            x.responseBody.close();
        } catch (IOException e) {
            if (Sockets.isPeerFailure(e)) peerFailed(e);
            return false;
        }
        if (x.connectionBroken || x.closeAfter || bodyError != null) {
            output.flush();
            return false;
        }
        if (!output.hasPending()) output.release(); // else it holds this response for the next one
        return x.requestBody.drain(limits.maxDrainBytes);
    }

    /**
     * The whole response of {@code x} is in the output buffer. It goes out now, unless the next
     * pipelined request is already buffered: then it is held back, to leave in one write with the
     * responses to that request and the ones after it, as an event loop flushes once per read
     * (16 pipelined requests, one write instead of 16). A held response waits only while this
     * greenlet keeps running: it leaves with the next write (a response finished with no request
     * left buffered, a handler's flush, a full buffer), before any read from the socket, when the
     * connection ends, and, should the greenlet give up the hub (a handler that waits, a turn
     * point), from a hub callback posted at the first hold, as soon as the hub runs it.
     */
    void responseFinished(Exchange x) throws IOException {
        if (!input.hasBuffered() || x.closeAfter || x.connectionBroken || x.rcode < 200 || !x.requestBody.isComplete()
                || (server != null && server.stopping)) {
            output.flush();
            return;
        }
        if (!output.hasPending()) return; // a large body went out through the buffer: nothing to hold
        output.hold();
        if (!writeHeldPosted && server != null) { // outside a server (bytes in memory) nothing waits
            if (writeHeld == null) writeHeld = this::writeHeldFromHub;
            writeHeldPosted = true;
            Hub.current().post(writeHeld);
        }
    }

    /** The hub callback: what the socket takes of the held responses, without waiting. */
    private void writeHeldFromHub() {
        writeHeldPosted = false;
        output.writeHeldNow();
    }

    /**
     * Counts (once per connection) and logs at DEBUG a failure the peer caused: a reset, a broken
     * pipe, an end of stream inside a request. Normal traffic, not a server error.
     */
    void peerFailed(Throwable t) {
        if (peerFailureCounted) return;
        peerFailureCounted = true;
        if (server != null) server.peerFailures++;
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "HTTP connection from " + transport.remoteAddress() + " ended by the peer: " + t);
        }
    }

    /**
     * Answers a request the server refuses, then closes: the output side first, then a short wait
     * for the client to stop sending, so the answer is not lost to a reset.
     */
    void refuse(int status, String message) {
        refuse(status, message, "");
    }

    /** {@link #refuse(int, String)} with more header lines ({@code "Name: value\r\n"} each). */
    void refuse(int status, String message, String extraHeaders) {
        try {
            byte[] body = (status + " " + Status.reason(status) + (message == null ? "" : "\n" + message) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + Status.reason(status) + "\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Date: " + HttpDate.now() + "\r\n"
                    + extraHeaders
                    + "Connection: close\r\n\r\n";
            // after the responses held for this pipelined request, if any (no response of its own is begun)
            output.writeThrough(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(body));
            output.release();
            transport.shutdownOutput();
            lingerRead();
        } catch (IOException e) {
            // the client is gone
        }
    }

    /** Gives back the buffers (for a connection refused before its request loop ran). */
    void release() {
        input.release();
        output.release();
    }

    private void lingerRead() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        byte[] scratch = new byte[1024];
        int total = 0;
        input.release();
        try {
            while (total < 64 * 1024) {
                if (input.hasBuffered()) {
                    total += input.read(scratch, 0, scratch.length);
                    continue;
                }
                int n = transport.read(scratch, 0, scratch.length, deadline);
                if (n < 0) return;
                total += n;
            }
        } catch (IOException e) {
            // timed out or reset: close now
        }
    }
}
