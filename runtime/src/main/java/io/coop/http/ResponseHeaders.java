package io.coop.http;

import com.sun.net.httpserver.Headers;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An exchange's response headers. {@code sendResponseHeaders} writes the fields the server adds
 * (Content-length or Transfer-encoding, Connection, Date) straight to the connection, and puts
 * them into this map only when it is next looked at or changed: the map then reads as the JDK's
 * server leaves it, while a handler that never looks again costs no map update. Every method
 * first brings the map up to date; the rest is {@link Headers} as it is.
 */
final class ResponseHeaders extends Headers {
    private boolean pending;
    private long length;
    private String connection, date;
    private boolean chunked;

    /**
     * What {@code sendResponseHeaders} sent: Content-length {@code length} (or -1: none), chunked or
     * not, Connection {@code connection} (or null: the handler's, if any, stays) and Date
     * {@code date} (or null: the handler's stays). Any Content-length or Transfer-encoding the
     * handler set goes.
     */
    void sent(long length, boolean chunked, String connection, String date) {
        this.length = length;
        this.chunked = chunked;
        this.connection = connection;
        this.date = date;
        pending = true;
    }

    private void sync() {
        if (!pending) return;
        pending = false;
        super.remove("Content-length");
        super.remove("Transfer-encoding");
        if (length >= 0) super.set("Content-length", Long.toString(length));
        if (chunked) super.set("Transfer-encoding", "chunked");
        if (connection != null) super.set("Connection", connection);
        if (date != null) super.set("Date", date);
    }

    /** The map as the handler left it, for {@code sendResponseHeaders} (nothing is pending then). */
    Set<Map.Entry<String, List<String>>> handlerEntries() {
        return super.entrySet();
    }

    @Override
    public int size() {
        sync();
        return super.size();
    }

    @Override
    public boolean isEmpty() {
        sync();
        return super.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        sync();
        return super.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        sync();
        return super.containsValue(value);
    }

    @Override
    public List<String> get(Object key) {
        sync();
        return super.get(key);
    }

    @Override
    public String getFirst(String key) {
        sync();
        return super.getFirst(key);
    }

    @Override
    public List<String> put(String key, List<String> value) {
        sync();
        return super.put(key, value);
    }

    @Override
    public void add(String key, String value) {
        sync();
        super.add(key, value);
    }

    @Override
    public void set(String key, String value) {
        sync();
        super.set(key, value);
    }

    @Override
    public List<String> remove(Object key) {
        sync();
        return super.remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ? extends List<String>> t) {
        sync();
        super.putAll(t);
    }

    @Override
    public void clear() {
        sync();
        super.clear();
    }

    @Override
    public Set<String> keySet() {
        sync();
        return super.keySet();
    }

    @Override
    public Collection<List<String>> values() {
        sync();
        return super.values();
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        sync();
        return super.entrySet();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super List<String>, ? extends List<String>> function) {
        sync();
        super.replaceAll(function);
    }

    @Override
    public boolean equals(Object o) {
        sync();
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        sync();
        return super.hashCode();
    }

    @Override
    public String toString() {
        sync();
        return super.toString();
    }
}
