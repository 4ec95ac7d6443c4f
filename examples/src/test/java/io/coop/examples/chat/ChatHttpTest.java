package io.coop.examples.chat;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The chat over HTTP: two users long-poll at once; a message one says reaches the other's waiting poll. */
class ChatHttpTest {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        b = method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded");
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> poll(String base, String uid) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/poll/" + uid)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoLongPollingClientsExchangeMessages() throws Exception {
        try (ChatRunning chat = new ChatRunning(Duration.ofSeconds(2))) {
            assertTrue(send("GET", chat.base + "/", "").body().contains("Your name"));
            assertTrue(send("GET", chat.base + "/bob", "").body().contains("topic1"));
            assertEquals(200, send("GET", chat.base + "/topic1/bob", "").statusCode());
            assertEquals(200, send("GET", chat.base + "/topic1/alice", "").statusCode());

            CompletableFuture<HttpResponse<String>> bobWaits = poll(chat.base, "bob");
            CompletableFuture<HttpResponse<String>> aliceWaits = poll(chat.base, "alice");
            Thread.sleep(300);
            assertFalse(bobWaits.isDone(), "a poll waits for a message");
            long t0 = System.nanoTime();
            assertEquals(200, send("POST", chat.base + "/put/topic1/alice", "message=hello+bob%21").statusCode());
            assertEquals("\"alice:hello bob!\"", bobWaits.get().body());
            assertEquals("\"alice:hello bob!\"", aliceWaits.get().body());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1500, "delivered at once, not at the poll timeout");

            assertEquals(200, send("POST", chat.base + "/put/topic1/bob", "message=hi+alice").statusCode());
            assertEquals("\"bob:hi alice\"", poll(chat.base, "alice").get().body(), "a message said between polls waits in the queue");
            assertTrue(send("GET", chat.base + "/topic1/carol", "").body().contains("alice:hello bob!"), "the backlog is shown to a newcomer");

            t0 = System.nanoTime();
            assertEquals("[]", poll(chat.base, "carol").get().body(), "no message: [] at the poll timeout");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1800 && ms < 5000, "after the 2 s timeout: " + ms + " ms");
        }
    }

    @Test
    void manyWaitingPollsOnOneThread() throws Exception {
        try (ChatRunning chat = new ChatRunning(Duration.ofSeconds(10))) {
            int n = 200;
            for (int i = 0; i < n; i++) send("GET", chat.base + "/topic2/u" + i, "");
            java.util.List<CompletableFuture<HttpResponse<String>>> polls = new java.util.ArrayList<>();
            HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < n; i++) {
                polls.add(many.sendAsync(HttpRequest.newBuilder(URI.create(chat.base + "/poll/u" + i)).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (chat.server.connectionCount() < n && System.nanoTime() < until) Thread.sleep(10);
            send("POST", chat.base + "/put/topic2/u0", "message=all");
            for (CompletableFuture<HttpResponse<String>> p : polls) assertEquals("\"u0:all\"", p.get().body());
        }
    }
}
