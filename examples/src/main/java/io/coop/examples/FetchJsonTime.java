package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tutorial: "Synchronous and asynchronous execution", the common case: fetching data from a
 * server, where each request takes as long as the server's load makes it. Nine requests one
 * after the other, then nine greenlets: those finish in the order the server answers. The
 * server is {@link LocalWeb}'s stand-in for the tutorial's json-time service (it answers after
 * 20 to 120 ms); the fetch is the JDK's blocking {@code URL.openStream()}, cooperative in a
 * greenlet, and under {@code -javaagent:coop.jar} on the hub's own epoll.
 */
public final class FetchJsonTime {

    static String url;

    static String fetch(int pid) throws Exception {
        String result;
        try (InputStream response = URI.create(url).toURL().openStream()) {
            result = new String(response.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher jsonResult = Pattern.compile("\"datetime\": \"([^\"]+)\"").matcher(result);   // json.loads, for one field
        String datetime = jsonResult.find() ? jsonResult.group(1) : "?";
        System.out.printf("Process %s: %s%n", pid, datetime);
        return datetime;
    }

    static void synchronous() throws Exception {
        for (int i = 1; i < 10; i++) {
            int pid = i;
            // one at a time. In a greenlet all the same: the stand-in server runs on this hub,
            // and without the agent a blocking call of main's own code would hold the hub
            Coop.spawn(() -> fetch(pid)).join();
        }
    }

    static void asynchronous() {
        List<Greenlet<String>> threads = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            int pid = i;
            threads.add(Coop.spawn(() -> fetch(pid)));
        }
        Coop.joinAll(threads);
    }

    public static void main(String[] args) throws Exception {
        try (LocalWeb web = LocalWeb.start()) {
            url = web.base() + "/time.json";
            System.out.println("Synchronous:");
            synchronous();

            System.out.println("Asynchronous:");
            asynchronous();
        }
    }
}
