package io.coop.junit.races;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Code under test for the check-then-act demonstration: a cache that asks a price server on a
 * miss. The check and the act are a socket round trip apart, and nothing keeps a second caller
 * from missing too.
 */
final class PriceCache {
    private final Map<String, Integer> prices = new HashMap<>();
    private final int serverPort;
    private int fetches;

    PriceCache(int serverPort) {
        this.serverPort = serverPort;
    }

    int price(String item) throws IOException {
        Integer p = prices.get(item);
        if (p == null) { // check ...
            p = fetch(item); // ... a round trip ...
            fetches++;
            prices.put(item, p); // ... act
        }
        return p;
    }

    int fetches() {
        return fetches;
    }

    /** One request line, one answer line. */
    static String ask(int port, String line) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            out.println(line);
            return in.readLine();
        }
    }

    private int fetch(String item) throws IOException {
        return Integer.parseInt(ask(serverPort, "price " + item));
    }
}
