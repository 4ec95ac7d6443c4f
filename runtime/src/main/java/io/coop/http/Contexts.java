package io.coop.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The contexts of a server: a request goes to the context whose path is the longest prefix of
 * its path, as in the JDK's server. Safe to change from any thread while serving.
 */
final class Contexts {
    private final Supplier<com.sun.net.httpserver.HttpServer> owner;
    private volatile Ctx[] sorted = new Ctx[0];

    Contexts(Supplier<com.sun.net.httpserver.HttpServer> owner) {
        this.owner = owner;
    }

    synchronized HttpContext create(String path, HttpHandler handler) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) throw new IllegalArgumentException("a context path must begin with '/': " + path);
        for (Ctx c : sorted) if (c.path.equals(path)) throw new IllegalArgumentException("a context for " + path + " already exists");
        Ctx c = new Ctx(path, handler);
        List<Ctx> all = new ArrayList<>(List.of(sorted));
        all.add(c);
        all.sort((a, b) -> Integer.compare(b.path.length(), a.path.length()));
        sorted = all.toArray(new Ctx[0]);
        return c;
    }

    synchronized void remove(String path) {
        Objects.requireNonNull(path, "path");
        List<Ctx> all = new ArrayList<>(List.of(sorted));
        if (!all.removeIf(c -> c.path.equals(path))) throw new IllegalArgumentException("no context for " + path);
        sorted = all.toArray(new Ctx[0]);
    }

    synchronized void remove(HttpContext context) {
        Objects.requireNonNull(context, "context");
        List<Ctx> all = new ArrayList<>(List.of(sorted));
        if (!all.remove(context)) throw new IllegalArgumentException("not a context of this server: " + context.getPath());
        sorted = all.toArray(new Ctx[0]);
    }

    /** The context for a request path, or null (also when its handler is not set yet). */
    HttpContext find(String path) {
        if (path == null || !path.startsWith("/")) path = "/"; // OPTIONS *, an absolute URI without a path
        for (Ctx c : sorted) {
            if (path.startsWith(c.path)) return c.handler == null ? null : c;
        }
        return null;
    }

    final class Ctx extends HttpContext {
        final String path;
        volatile HttpHandler handler;
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private final List<Filter> filters = new CopyOnWriteArrayList<>();
        private volatile Authenticator authenticator;

        Ctx(String path, HttpHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler h) {
            Objects.requireNonNull(h, "handler");
            if (handler != null) throw new IllegalArgumentException("the handler is already set");
            handler = h;
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public com.sun.net.httpserver.HttpServer getServer() {
            return owner.get();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public List<Filter> getFilters() {
            return filters;
        }

        @Override
        public Authenticator setAuthenticator(Authenticator auth) {
            Authenticator old = authenticator;
            authenticator = auth;
            return old;
        }

        @Override
        public Authenticator getAuthenticator() {
            return authenticator;
        }

        @Override
        public String toString() {
            return "HttpContext[" + path + "]";
        }
    }
}
