import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.coop.agent.CoopAgent;
import io.coop.agent.Patch;
import io.coop.agent.Redirect;
import io.coop.agent.Target;

/**
 * Refreshes the "JDK methods woven" column of the patch matrix in docs/patches.md from the code:
 * each area's {@code Patch.targets(25)} (marked "optional" where {@code Target.optional()}) and
 * {@code Patch.redirects()}. The other columns are written by hand and kept as they are. Run from
 * the repository root after building:
 *
 * <pre>
 * ./mvnw -q -B -DskipTests package -pl agent -am
 * java -cp agent/target/classes:runtime/target/classes docs/tools/RefreshPatchMatrix.java [--check] [docs/patches.md]   # java 25
 * </pre>
 *
 * The table is the one between {@code <!-- patch-matrix -->} and {@code <!-- /patch-matrix -->};
 * each row's first cell names its area. With {@code --check} nothing is written: the exit
 * status is 1, with the row that differs, when the page is stale.
 */
public class RefreshPatchMatrix {
    static final int JDK = 25;
    static final Pattern TABLE = Pattern.compile("(<!-- patch-matrix -->\\n)(.*?)(<!-- /patch-matrix -->)", Pattern.DOTALL);
    static final Pattern AREA = Pattern.compile("`(\\w+)`");

    public static void main(String[] args) throws Exception {
        boolean check = false;
        Path page = Path.of("docs/patches.md");
        for (String a : args) {
            if (a.equals("--check")) check = true;
            else page = Path.of(a);
        }
        String text = Files.readString(page);
        String out = refresh(text);
        if (out.equals(text)) return;
        if (check) {
            List<String> was = text.lines().toList();
            for (String line : out.lines().toList()) {
                if (!was.contains(line)) System.err.println(page + " is stale; this row should read:\n" + line);
            }
            System.err.println("run: java -cp agent/target/classes:runtime/target/classes docs/tools/RefreshPatchMatrix.java");
            System.exit(1);
        }
        Files.writeString(page, out);
        System.out.println("refreshed " + page);
    }

    /** {@code text} with the JDK-method column of its patch matrix rewritten from the patches. */
    static String refresh(String text) {
        Matcher m = TABLE.matcher(text);
        if (!m.find()) throw new IllegalStateException("no <!-- patch-matrix --> ... <!-- /patch-matrix --> table");
        Map<String, Patch> patches = new LinkedHashMap<>();
        for (String area : CoopAgent.areas()) {
            for (Patch p : CoopAgent.patches()) if (p.area().equals(area)) patches.put(area, p);
        }
        Set<String> rows = new LinkedHashSet<>();
        StringBuilder table = new StringBuilder();
        for (String line : m.group(2).split("\n", -1)) {
            Matcher area = AREA.matcher(line);
            if (line.startsWith("| `") && area.find() && area.start() == 2) {
                String[] cells = line.split(" \\| ", -1);
                if (cells.length != 4) throw new IllegalStateException("a row of the patch matrix has " + cells.length + " cells, not 4: " + line);
                Patch p = patches.get(area.group(1));
                if (p == null) throw new IllegalStateException("the patch matrix has a row for '" + area.group(1) + "', which is no area");
                rows.add(p.area());
                cells[2] = column(p);
                line = String.join(" | ", cells);
            }
            table.append(line).append('\n');
        }
        table.setLength(table.length() - 1);
        Set<String> missing = new LinkedHashSet<>(patches.keySet());
        missing.removeAll(rows);
        if (!missing.isEmpty()) throw new IllegalStateException("the patch matrix has no row for " + missing);
        return text.substring(0, m.start(2)) + table + text.substring(m.end(2));
    }

    /** The woven methods of {@code p}, grouped by class, then the calls it redirects in application classes. */
    static String column(Patch p) {
        List<String> parts = new ArrayList<>();
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (Target t : p.targets(JDK)) {
            byClass.computeIfAbsent(t.className(), k -> new ArrayList<>())
                    .add("`" + t.method() + arguments(t.descriptor()) + "`" + (t.optional() ? " (optional)" : ""));
        }
        parts.add(grouped(byClass));
        Map<String, List<String>> redirected = new LinkedHashMap<>();
        for (Redirect r : p.redirects()) {
            redirected.computeIfAbsent(r.owner().replace('/', '.'), k -> new ArrayList<>()).add("`" + r.method() + arguments(r.descriptor()) + "`");
        }
        if (!redirected.isEmpty()) parts.add("calls in application classes to " + grouped(redirected));
        return String.join("; ", parts);
    }

    private static String grouped(Map<String, List<String>> byClass) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byClass.entrySet()) {
            List<String> ms = e.getValue();
            if (ms.size() == 1) out.add("`" + e.getKey() + "." + ms.get(0).substring(1));
            else out.add("`" + e.getKey() + "`: " + String.join(", ", ms));
        }
        return String.join("; ", out);
    }

    /** {@code (J)V} as {@code (long)}, {@code (Ljava/lang/Runnable;[B)V} as {@code (Runnable, byte[])}. */
    static String arguments(String descriptor) {
        List<String> names = new ArrayList<>();
        int i = 1;
        while (descriptor.charAt(i) != ')') {
            int dims = 0;
            while (descriptor.charAt(i) == '[') {
                dims++;
                i++;
            }
            String name;
            char c = descriptor.charAt(i);
            if (c == 'L') {
                int end = descriptor.indexOf(';', i);
                String full = descriptor.substring(i + 1, end);
                name = full.substring(Math.max(full.lastIndexOf('/'), full.lastIndexOf('$')) + 1);
                i = end + 1;
            } else {
                name = switch (c) {
                    case 'Z' -> "boolean";
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    default -> throw new IllegalArgumentException(descriptor);
                };
                i++;
            }
            names.add(name + "[]".repeat(dims));
        }
        return "(" + String.join(", ", names) + ")";
    }
}
