package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed: a crawler that reads a page, finds its images and downloads each one to a file. The
 * downloads run in greenlets at once (the seed joined each one before spawning the next, which
 * made them sequential). Files go to the directory given as the first argument (default: a new
 * temporary one). Writing a file is not cooperative (not even under the agent): small writes
 * are fine, big ones belong on a {@link io.coop.threadpool.ThreadPool}. The page itself is read in
 * a greenlet too: without the agent, a blocking socket call made by the hub thread's own code
 * would block the hub, and with it the server that has to answer.
 */
public final class DownloadImages {

    static void downloader(Path imgName, String imgUrl) throws Exception {
        try (InputStream req = URI.create(imgUrl).toURL().openStream()) {
            byte[] imgContent = req.readAllBytes();
            Files.write(imgName, imgContent);
            System.out.println("saved " + imgName.getFileName() + " (" + imgContent.length + " bytes)");
        }
    }

    static String get(String url) throws Exception {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("images");
        try (LocalWeb web = LocalWeb.start()) {
            String r = Coop.spawn(() -> get(web.base() + "/portal.php")).get();
            // //div[@id="frameXWswSe"]//div[@class="portal_block_summary"]//li//img/@src, as a regex
            Matcher img = Pattern.compile("<li><img src=\"([^\"]+)\"").matcher(r);
            List<Greenlet<?>> downloads = new ArrayList<>();
            int count = 0;
            while (img.find()) {
                count += 1;
                Path name = dir.resolve(count + ".jpg");
                String url = web.base() + "/" + img.group(1);
                downloads.add(Coop.spawn(() -> { downloader(name, url); return null; }));
            }
            Coop.joinAll(downloads);
        }
    }
}
