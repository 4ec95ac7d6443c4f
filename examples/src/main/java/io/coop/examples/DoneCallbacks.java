package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seed: "asynchronous calls and callbacks": each download runs in a greenlet, and a callback
 * linked to it parses the page the moment the download finishes, without the submitter waiting
 * for it ({@code add_done_callback} is {@link Greenlet#linkValue}). The seed used a process pool;
 * a greenlet per URL needs no pool. Links run on the hub and must not block; parsing is quick.
 */
public final class DoneCallbacks {

    static String get(String url) throws Exception {
        System.out.printf("%s GET %s%n", Coop.current().name(), url);
        String text;
        try (InputStream response = URI.create(url).toURL().openStream()) {
            text = new String(response.readAllBytes(), StandardCharsets.UTF_8);
        }
        Coop.sleep(ThreadLocalRandom.current().nextInt(100, 300));   // time.sleep(random.randint(1, 3)), shortened
        return text;
    }

    static void parse(Greenlet<String> obj) {
        String res = obj.value();
        System.out.printf("%s parse result: %d%n", obj.name(), res.length());
    }

    public static void main(String[] args) throws Exception {
        try (LocalWeb web = LocalWeb.start()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 8; i++) urls.add(web.url("www.baidu.com"));
            urls.add(web.url("www.python.org"));

            List<Greenlet<String>> pool = new ArrayList<>();
            for (String url : urls) {
                Greenlet<String> obj = Coop.spawn(() -> get(url));
                obj.linkValue(DoneCallbacks::parse);   // runs once obj has its value
                pool.add(obj);
            }
            System.out.println("main greenlet " + Coop.current().name());
            Coop.joinAll(pool);
            Coop.sleep(0);                             // let the last links run
        }
    }
}
