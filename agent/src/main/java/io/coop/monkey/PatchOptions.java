package io.coop.monkey;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.coop.agent.AreaChoice;
import io.coop.agent.CoopAgent;

/**
 * Which areas {@link Monkey#patchAll(PatchOptions)} (or the agent) patches, and whether it lists
 * what it patched. The same text form is used by {@code -javaagent:coop.jar=OPTIONS}: a comma
 * separated list of areas; naming any area patches only the named ones, a leading {@code -}
 * turns one off, {@code verbose} prints each patched JDK method on stderr.
 *
 * <pre>{@code
 * Monkey.patchAll(PatchOptions.all().without("thread"));
 * Monkey.patchAll(PatchOptions.parse("socket,time,verbose"));
 * }</pre>
 */
public final class PatchOptions {
    /** Every area coop can patch, in the order they are applied: time, thread, socket, select, dns, subprocess (each patch's own name). */
    public static final List<String> AREAS = CoopAgent.areas();
    /** Words accepted besides the areas. */
    public static final List<String> FLAGS = List.of("verbose");

    private final Set<String> areas;
    private final boolean verbose;

    private PatchOptions(Set<String> areas, boolean verbose) {
        this.areas = Collections.unmodifiableSet(areas);
        this.verbose = verbose;
    }

    /** All areas, quiet. */
    public static PatchOptions all() {
        return new PatchOptions(new LinkedHashSet<>(AREAS), false);
    }

    /** Only the given areas. */
    public static PatchOptions only(String... areas) {
        Set<String> s = new LinkedHashSet<>();
        for (String a : areas) s.add(checkArea(a));
        return new PatchOptions(ordered(s), false);
    }

    /**
     * Parses the agent's option text ({@code socket,time,-thread,verbose}); null or blank means
     * all areas. Throws {@link IllegalArgumentException} naming the valid words on anything else.
     */
    public static PatchOptions parse(String text) {
        AreaChoice c = AreaChoice.parse(text);
        return new PatchOptions(new LinkedHashSet<>(c.areas()), c.verbose());
    }

    /** These options without {@code area}. */
    public PatchOptions without(String area) {
        Set<String> s = new LinkedHashSet<>(areas);
        s.remove(checkArea(area));
        return new PatchOptions(s, verbose);
    }

    /** These options with {@code area} added. */
    public PatchOptions with(String area) {
        Set<String> s = new LinkedHashSet<>(areas);
        s.add(checkArea(area));
        return new PatchOptions(ordered(s), verbose);
    }

    /** These options, listing each patched JDK method on stderr when {@code on}. */
    public PatchOptions verbose(boolean on) {
        return new PatchOptions(new LinkedHashSet<>(areas), on);
    }

    /** The areas to patch, in {@link #AREAS} order. */
    public Set<String> areas() {
        return areas;
    }

    public boolean isVerbose() {
        return verbose;
    }

    private static String checkArea(String area) {
        Objects.requireNonNull(area, "area");
        String a = area.trim().toLowerCase(Locale.ROOT);
        if (!AREAS.contains(a)) {
            throw new IllegalArgumentException("unknown coop area '" + area + "'; valid areas are " + String.join(", ", AREAS));
        }
        return a;
    }

    private static Set<String> ordered(Set<String> s) {
        return AreaChoice.inAreaOrder(s);
    }

    @Override
    public String toString() {
        return String.join(",", areas) + (verbose ? ",verbose" : "");
    }
}
