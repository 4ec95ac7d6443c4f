package io.coop.examples.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven through the DevTools protocol over the JDK's WebSocket client: open
 * pages, evaluate JavaScript in them. Just what the chat's browser test needs.
 */
final class DevTools implements AutoCloseable {
    static final String[] CANDIDATES = {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"};

    private final Process process;
    private final Path profile;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    static String binary() {
        for (String c : CANDIDATES) if (Files.isExecutable(Path.of(c))) return c;
        return null;
    }

    DevTools() throws Exception {
        profile = Files.createTempDirectory("coop-chromium-");
        process = new ProcessBuilder(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-dev-shm-usage", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long until = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > until) {
                throw new IOException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    }

    /** Opens a new page at {@code url}. */
    Page open(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) throw new IOException("no page: " + r.body());
        return new Page(http, m.group(1));
    }

    /** One page: {@link #eval} runs an expression (awaiting promises) and returns its value as a string. */
    static final class Page implements WebSocket.Listener, AutoCloseable {
        private final WebSocket ws;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Page(HttpClient http, String url) throws Exception {
            ws = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String msg = partial.toString();
                partial.setLength(0);
                Matcher m = Pattern.compile("^\\{\"id\":(\\d+),").matcher(msg);
                if (m.find()) {
                    CompletableFuture<String> f = pending.remove(Integer.parseInt(m.group(1)));
                    if (f != null) f.complete(msg);
                }
            }
            webSocket.request(1);
            return null;
        }

        /** The value of {@code expression} (made a string with String(...)), or the exception's text. */
        String eval(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<String> reply = new CompletableFuture<>();
            pending.put(id, reply);
            String expr = "(async () => String(await (" + expression + ")))()";
            ws.sendText("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":" + jsonString(expr)
                    + ",\"awaitPromise\":true,\"returnByValue\":true}}", true).get(10, TimeUnit.SECONDS);
            String msg = reply.get(20, TimeUnit.SECONDS);
            Matcher v = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(msg);
            if (!v.find()) return "ERROR " + msg;
            return unescape(v.group(1));
        }

        /** Evaluates {@code expression} until it is "true", up to {@code timeout}. */
        void await(String expression, Duration timeout) throws Exception {
            long until = System.nanoTime() + timeout.toNanos();
            String last = null;
            while (System.nanoTime() < until) {
                last = eval(expression);
                if (last.equals("true")) return;
                Thread.sleep(50);
            }
            throw new AssertionError("not true within " + timeout + ": " + expression + " (last: " + last + ")");
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        List<ProcessHandle> all = process.descendants().toList();
        process.destroy();
        all.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
