package io.coop.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import io.coop.Coop;
import io.coop.Hub;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/** The JDK API's {@code HttpServer} over coop's {@link HttpServer}; see {@link CoopHttpServerProvider}. */
final class JdkHttpServer extends com.sun.net.httpserver.HttpServer {
    private final Contexts contexts = new Contexts(() -> this);
    private ServerSocketChannel listener;
    private volatile HttpServer core;
    private volatile Hub hub;
    private Thread ownThread;
    private Executor executor;
    private boolean started, stopped;

    @Override
    public synchronized void bind(InetSocketAddress addr, int backlog) throws IOException {
        if (listener != null) throw new BindException("HttpServer already bound");
        java.util.Objects.requireNonNull(addr, "addr");
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(addr, backlog > 0 ? backlog : 1024);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        listener = ch;
    }

    @Override
    public synchronized void start() {
        if (listener == null) throw new IllegalStateException("server not bound");
        if (started) throw new IllegalStateException("server already started");
        started = true;
        if (inGreenlet()) {
            core = new HttpServer(listener, contexts);
            hub = core.hub();
            core.start();
            return;
        }
        CompletableFuture<Void> up = new CompletableFuture<>();
        java.util.concurrent.Callable<Void> serve = () -> {
            core = new HttpServer(listener, contexts);
            hub = core.hub();
            core.start();
            up.complete(null);
            core.serveForever();
            return null;
        };
        ownThread = new Thread(() -> {
            try {
                // under the agent a started thread may itself become a greenlet: then serve in it
                if (inGreenlet()) serve.call();
                else Coop.run(serve);
            } catch (Throwable t) {
                up.completeExceptionally(t);
            }
        }, "coop-http-" + listener.socket().getLocalPort());
        ownThread.start();
        up.join();
    }

    private static boolean inGreenlet() {
        if (!Thread.currentThread().isVirtual()) return false;
        try {
            return Coop.current() != Coop.hub().mainGreenlet();
        } catch (IllegalStateException e) {
            return false; // a virtual thread that is not a greenlet
        }
    }

    @Override
    public void setExecutor(Executor executor) {
        synchronized (this) {
            if (started) throw new IllegalStateException("server already started");
            this.executor = executor;
        }
    }

    @Override
    public synchronized Executor getExecutor() {
        return executor;
    }

    @Override
    public void stop(int delay) {
        if (delay < 0) throw new IllegalArgumentException("negative delay: " + delay);
        HttpServer c;
        Hub h;
        Thread t;
        synchronized (this) {
            if (stopped) return;
            stopped = true;
            c = core;
            h = hub;
            t = ownThread;
        }
        Duration grace = Duration.ofSeconds(delay);
        if (c == null) {
            try {
                if (listener != null) listener.close();
            } catch (IOException ignored) {
                // closing
            }
            return;
        }
        if (h.isHubThread()) {
            c.stop(grace);
        } else {
            CountDownLatch done = new CountDownLatch(1);
            h.post(() -> Coop.spawn(() -> {
                try {
                    c.stop(grace);
                } finally {
                    done.countDown();
                }
            }));
            try {
                done.await();
                if (t != null) t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return contexts.create(path, handler);
    }

    @Override
    public HttpContext createContext(String path) {
        return contexts.create(path, null);
    }

    @Override
    public void removeContext(String path) {
        contexts.remove(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        contexts.remove(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        try {
            return listener == null ? null : (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "coop HttpServer[" + getAddress() + "]";
    }
}
