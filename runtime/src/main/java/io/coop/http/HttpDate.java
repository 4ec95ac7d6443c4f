package io.coop.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header value, formatted at most once a second, with its header line in bytes. */
final class HttpDate {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static volatile HttpDate last;

    private final long second;
    /** The value, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    final String text;
    /** {@code Date: <text>\r\n} in ASCII. */
    final byte[] line;

    private HttpDate(long second) {
        this.second = second;
        this.text = FORMAT.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC));
        this.line = ("Date: " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** This second's date. */
    static HttpDate current() {
        long s = System.currentTimeMillis() / 1000;
        HttpDate d = last;
        if (d == null || d.second != s) {
            d = new HttpDate(s);
            last = d;
        }
        return d;
    }

    static String now() {
        return current().text;
    }
}
