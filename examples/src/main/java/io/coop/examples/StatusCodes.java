package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed: patched {@code requests.get} in three greenlets, printing each URL with its status code
 * and length. {@link HttpURLConnection} is the JDK's blocking client; under
 * {@code -javaagent:coop.jar} its socket waits are the hub's.
 */
public final class StatusCodes {

    static void getUrl(String url) throws Exception {
        HttpURLConnection res = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream body = res.getInputStream()) {
            System.out.println(url + " " + res.getResponseCode() + " " + body.readAllBytes().length);
        }
    }

    public static void main(String[] args) throws Exception {
        try (LocalWeb web = LocalWeb.start()) {
            List<String> urlL = List.of(web.url("www.baidu.com"), web.url("www.python.org"), web.url("www.cnblogs.com"));
            List<Greenlet<?>> gL = new ArrayList<>();
            for (String i : urlL) gL.add(Coop.spawn(() -> { getUrl(i); return null; }));
            Coop.joinAll(gL);
        }
    }
}
