package io.coop.examples.chat;

import com.sun.net.httpserver.HttpExchange;
import io.coop.Coop;
import io.coop.http.HttpServer;
import io.coop.queue.Empty;
import io.coop.queue.Queue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The long-polling chat room of the gevent tutorial ("Chat Server"), on coop's HTTP server: rooms
 * keep a backlog and their users; each user has a {@link Queue}; {@code /poll/<uid>} waits up to 10 s
 * for the next message. Each waiting poll is a greenlet parked on its queue; one OS thread
 * serves them all.
 *
 * <pre>{@code
 * ./mvnw -q -B -pl runtime,examples compile
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp runtime/target/classes:examples/target/classes \
 *     io.coop.examples.chat.ChatServer 5000
 * # then open http://127.0.0.1:5000/ in two browser windows
 * }</pre>
 *
 * <p>Routes, as in the tutorial: {@code GET /} (choose a name), {@code GET /<uid>} (choose a room),
 * {@code GET /<room>/<uid>} (join and show the room), {@code POST /put/<room>/<uid>} (say
 * {@code message=...}), {@code POST /poll/<uid>} (the next message as a JSON string, or
 * {@code []} after 10 s without one).
 */
public final class ChatServer {
    /** How long a poll waits for a message before answering {@code []}. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);

    /** A room: its users and the messages said in it. */
    static final class Room {
        final Set<User> users = new LinkedHashSet<>();
        final List<String> messages = new ArrayList<>();

        List<String> backlog(int size) {
            return messages.subList(Math.max(0, messages.size() - size), messages.size());
        }

        void subscribe(User user) {
            users.add(user);
        }

        void add(String message) {
            for (User u : users) u.queue.putNowait(message);
            messages.add(message);
        }
    }

    /** A user and the messages waiting for their next poll (an unbounded coop queue). */
    static final class User {
        final Queue<String> queue = new Queue<>();
    }

    final Map<String, Room> rooms = new LinkedHashMap<>();
    final Map<String, User> users = new LinkedHashMap<>();
    private final Duration pollTimeout;

    ChatServer(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
        rooms.put("topic1", new Room());
        rooms.put("topic2", new Room());
    }

    /** Serves the chat on {@code address} from the calling greenlet's hub. */
    HttpServer server(InetSocketAddress address) {
        return new HttpServer(address, this::handle);
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Coop.run(() -> {
            HttpServer http = new ChatServer(POLL_TIMEOUT).server(new InetSocketAddress(port));
            http.start();
            System.out.println("chat: http://127.0.0.1:" + http.address().getPort() + "/");
            http.serveForever();
            return null;
        });
    }

    // ---------------------------------------------------------------- routes

    void handle(HttpExchange x) throws IOException {
        String[] parts = x.getRequestURI().getPath().substring(1).split("/", -1);
        String method = x.getRequestMethod();
        if (parts.length == 1 && parts[0].isEmpty()) {
            html(x, 200, Pages.choose());
        } else if (method.equals("POST") && parts.length == 3 && parts[0].equals("put")) {
            put(x, parts[1], parts[2]);
        } else if (method.equals("POST") && parts.length == 2 && parts[0].equals("poll")) {
            poll(x, parts[1]);
        } else if (parts.length == 1) {
            html(x, 200, Pages.main(parts[0], rooms.keySet()));
        } else if (parts.length == 2 && rooms.containsKey(parts[0])) {
            join(x, parts[0], parts[1]);
        } else {
            text(x, 404, "no such page\n", "text/plain");
        }
    }

    private void join(HttpExchange x, String roomName, String uid) throws IOException {
        User user = users.computeIfAbsent(uid, k -> new User());
        Room room = rooms.get(roomName);
        room.subscribe(user);
        html(x, 200, Pages.room(roomName, uid, room.backlog(25)));
    }

    private void put(HttpExchange x, String roomName, String uid) throws IOException {
        User user = users.get(uid);
        Room room = rooms.get(roomName);
        if (user == null || room == null) {
            text(x, 404, "unknown user or room\n", "text/plain");
            return;
        }
        String message = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getOrDefault("message", "");
        room.add(uid + ":" + message);
        text(x, 200, "", "text/plain");
    }

    private void poll(HttpExchange x, String uid) throws IOException {
        User user = users.get(uid);
        if (user == null) {
            text(x, 404, "[]", "application/json");
            return;
        }
        String msg;
        try {
            msg = user.queue.get(pollTimeout); // this greenlet waits; the hub serves the others
        } catch (Empty e) {
            msg = null;
        }
        text(x, 200, msg == null ? "[]" : json(msg), "application/json");
    }

    // ---------------------------------------------------------------- helpers

    static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static void html(HttpExchange x, int status, String page) throws IOException {
        text(x, status, page, "text/html; charset=utf-8");
    }

    private static void text(HttpExchange x, int status, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }
}
