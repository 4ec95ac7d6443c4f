package io.coop;

import java.time.Duration;
import java.util.Locale;

/**
 * coop's settings: each {@code coop.x.y} system property, or else the {@code COOP_X_Y}
 * environment variable. See docs/configuration.md for the list.
 *
 * <pre>{@code
 * // java -Dcoop.maxBlockingTime=250ms ...   or   COOP_MAXBLOCKINGTIME=250ms java ...
 * Duration limit = Config.duration("maxBlockingTime", Duration.ofMillis(100));   // 250 ms
 * String seed = Config.get("seed");                                              // null if unset
 * }</pre>
 */
public final class Config {
    private Config() {
    }

    /** The raw value of {@code coop.<name>} or {@code COOP_<NAME>}, or null. */
    public static String get(String name) {
        String v = System.getProperty("coop." + name);
        if (v != null) return v;
        return System.getenv("COOP_" + name.replace('.', '_').toUpperCase(Locale.ROOT));
    }

    /** A duration setting: a plain number is milliseconds; ISO-8601 (PT0.5S) and 250ms / 2s also work. */
    public static Duration duration(String name, Duration dflt) {
        String v = get(name);
        if (v == null || v.isBlank()) return dflt;
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt")) return Duration.parse(s.toUpperCase(Locale.ROOT));
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
            return Duration.ofMillis(Long.parseLong(s));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("coop." + name + " must be a duration such as 100, 100ms, 0.5s or PT0.1S; got '" + v + "'", e);
        }
    }

    /** A whole-number setting of at least {@code min}; anything else is an error naming the setting. */
    public static int integer(String name, int dflt, int min) {
        String v = get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("coop." + name + " must be a whole number of at least " + min + "; got '" + v + "'");
    }

    /** A boolean setting: true/false/yes/no/on/off/1/0. */
    public static boolean flag(String name, boolean dflt) {
        String v = get(name);
        if (v == null || v.isBlank()) return dflt;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("coop." + name + " must be true or false; got '" + v + "'");
        };
    }

    static Duration maxBlockingTime() {
        Duration d = duration("maxBlockingTime", Duration.ofMillis(100));
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("coop.maxBlockingTime must be positive; got " + d);
        return d;
    }

    static Long seed() {
        String v = get("seed");
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("coop.seed must be a whole number; got '" + v + "'", e);
        }
    }
}
