package io.coop.http;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header value, formatted at most once a second. */
final class HttpDate {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static volatile long second = -1;
    private static volatile String text;

    private HttpDate() {
    }

    static String now() {
        long s = System.currentTimeMillis() / 1000;
        String t = text;
        if (s != second || t == null) {
            t = FORMAT.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(s), ZoneOffset.UTC));
            text = t;
            second = s;
        }
        return t;
    }
}
