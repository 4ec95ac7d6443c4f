package io.coop.agent;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The areas chosen in the agent's option text ({@code -javaagent:coop.jar=socket,time,-thread,verbose}
 * or {@code coop.patch}), whether to list what is woven, and settings given there as
 * {@code name=value} ({@code seed=42}: the same as {@code -Dcoop.seed=42}). The agent reads it here;
 * {@code io.coop.monkey.PatchOptions}, the public form for {@code Monkey.patchAll}, parses
 * through it, so the words and their errors are the same in both.
 *
 * <pre>{@code
 * AreaChoice c = AreaChoice.parse("socket,time,verbose");   // areas [time, socket], verbose
 * }</pre>
 */
public record AreaChoice(Set<String> areas, boolean verbose, Map<String, String> settings) {
    private static final List<String> AREAS = CoopAgent.areas();
    /** The {@code coop.*} settings the option text may carry as {@code name=value}. */
    public static final List<String> SETTINGS = List.of("seed", "schedule", "virtualTime", "trace", "hubs");

    public AreaChoice(Set<String> areas, boolean verbose) {
        this(areas, verbose, Map.of());
    }

    /**
     * Sets each of {@link #settings()} as its {@code coop.*} system property, unless that
     * property is set already (an explicit {@code -Dcoop.seed} wins over {@code seed=} here).
     */
    public void applySettings() {
        settings.forEach((name, value) -> {
            if (System.getProperty("coop." + name) == null) System.setProperty("coop." + name, value);
        });
    }

    /**
     * Parses the option text; null or blank means all areas. Throws
     * {@link IllegalArgumentException} naming the valid words on anything else.
     */
    public static AreaChoice parse(String text) {
        if (text == null || text.isBlank()) return new AreaChoice(new LinkedHashSet<>(AREAS), false);
        Set<String> named = new LinkedHashSet<>();
        Set<String> off = new LinkedHashSet<>();
        Map<String, String> settings = new LinkedHashMap<>();
        boolean verbose = false;
        for (String raw : text.split(",")) {
            int eq = raw.indexOf('=');
            if (eq >= 0) {
                String name = raw.substring(0, eq).trim();
                String value = raw.substring(eq + 1).trim();
                if (!SETTINGS.contains(name) || value.isEmpty()) {
                    throw new IllegalArgumentException("unknown coop setting '" + raw.trim() + "'; the option text takes "
                            + String.join(", ", SETTINGS.stream().map(n -> n + "=...").toList()));
                }
                settings.put(name, value);
                continue;
            }
            String word = raw.trim().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) continue;
            boolean minus = word.startsWith("-");
            String name = minus ? word.substring(1) : word;
            if (name.equals("verbose")) {
                verbose = !minus;
            } else if (AREAS.contains(name)) {
                (minus ? off : named).add(name);
            } else {
                throw new IllegalArgumentException("unknown coop option '" + raw.trim() + "'; valid options are "
                        + String.join(", ", AREAS) + ", verbose (a leading - turns one off) and "
                        + String.join(", ", SETTINGS.stream().map(n -> n + "=...").toList()));
            }
        }
        Set<String> areas = named.isEmpty() ? new LinkedHashSet<>(AREAS) : inAreaOrder(named);
        areas.removeAll(off);
        return new AreaChoice(areas, verbose, Map.copyOf(settings));
    }

    /** {@code chosen} in the order the areas are woven. */
    public static Set<String> inAreaOrder(Set<String> chosen) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : AREAS) if (chosen.contains(a)) out.add(a);
        return out;
    }
}
