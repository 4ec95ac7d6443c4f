package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed: an API test that posts the same search six times at once (the Douban example), each
 * POST in a greenlet with plain {@link HttpURLConnection}. The endpoint is {@link LocalWeb}'s
 * stand-in.
 */
public final class PostRequests {

    /** A class containing an interface test method of a movie site. */
    static final class Douban {
        private final String host;
        private final Map<String, String> headers = Map.of(
                "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:61.0) Gecko/20100101 Firefox/61.0",
                "Referer", "https://movie.douban.com/");

        Douban(String host) {
            this.host = host;
        }

        String getResponse(String url, String data) throws Exception {
            HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            headers.forEach(conn::setRequestProperty);
            conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = conn.getOutputStream()) {
                out.write(data.getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = conn.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        String testSearchTagsMovie() throws Exception {
            String method = "search_tags";
            String url = host + "/j/" + method;
            String postData = "type=movie&source=index";
            String resp = getResponse(url, postData);
            System.out.println(resp);
            return resp;
        }
    }

    public static void main(String[] args) throws Exception {
        try (LocalWeb web = LocalWeb.start()) {
            Douban douban = new Douban(web.base());
            List<Greenlet<String>> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) threads.add(Coop.spawn(douban::testSearchTagsMovie));
            Coop.joinAll(threads);
        }
    }
}
