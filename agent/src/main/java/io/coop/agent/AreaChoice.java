package io.coop.agent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The areas chosen in the agent's option text ({@code -javaagent:coop.jar=socket,time,-thread,verbose}
 * or {@code coop.patch}), and whether to list what is woven. The agent reads it here;
 * {@code io.coop.monkey.PatchOptions}, the public form for {@code Monkey.patchAll}, parses
 * through it, so the words and their errors are the same in both.
 *
 * <pre>{@code
 * AreaChoice c = AreaChoice.parse("socket,time,verbose");   // areas [time, socket], verbose
 * }</pre>
 */
public record AreaChoice(Set<String> areas, boolean verbose) {
    private static final List<String> AREAS = CoopAgent.areas();

    /**
     * Parses the option text; null or blank means all areas. Throws
     * {@link IllegalArgumentException} naming the valid words on anything else.
     */
    public static AreaChoice parse(String text) {
        if (text == null || text.isBlank()) return new AreaChoice(new LinkedHashSet<>(AREAS), false);
        Set<String> named = new LinkedHashSet<>();
        Set<String> off = new LinkedHashSet<>();
        boolean verbose = false;
        for (String raw : text.split(",")) {
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
                        + String.join(", ", AREAS) + ", verbose (a leading - turns one off)");
            }
        }
        Set<String> areas = named.isEmpty() ? new LinkedHashSet<>(AREAS) : inAreaOrder(named);
        areas.removeAll(off);
        return new AreaChoice(areas, verbose);
    }

    /** {@code chosen} in the order the areas are woven. */
    public static Set<String> inAreaOrder(Set<String> chosen) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : AREAS) if (chosen.contains(a)) out.add(a);
        return out;
    }
}
