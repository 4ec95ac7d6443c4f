import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Refreshes the example code and output quoted in the user guide, so that every page shows the
 * code as it is and the output it really prints. Run from the repository root after building:
 *
 * <pre>
 * ./mvnw -q -B -DskipTests package -pl examples -am
 * java docs/tools/RefreshExamples.java [page.md ...]
 * </pre>
 *
 * In a page, a block between {@code <!-- code: ClassName -->} and {@code <!-- /code -->} gets the
 * example's source (without its package line and class comment); a block between
 * {@code <!-- output: ClassName [args] -->} and {@code <!-- /output -->} gets what the example
 * prints on stdout. Markers {@code output+err} (stdout and stderr, interleaved) and
 * {@code output-timed} (each line with the milliseconds since the first) exist too. Arguments
 * starting with {@code +agent} run the example under {@code -javaagent:agent/target/coop.jar};
 * {@code +coopjar} puts coop.jar on the class path instead (for {@code Monkey.patchAll()}).
 */
public class RefreshExamples {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path SOURCES = ROOT.resolve("examples/src/main/java/io/coop/examples");
    static final Pattern CODE = Pattern.compile("(<!-- code: (\\w+) -->\\n)(.*?)(<!-- /code -->)", Pattern.DOTALL);
    static final Pattern OUTPUT = Pattern.compile("(<!-- (output|output\\+err|output-timed): (\\w+)([^>]*?) -->\\n)(.*?)(<!-- /output -->)", Pattern.DOTALL);

    public static void main(String[] args) throws Exception {
        List<Path> pages = new ArrayList<>();
        if (args.length > 0) {
            for (String a : args) pages.add(Path.of(a));
        } else {
            try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        for (Path page : pages) refresh(page);
    }

    static void refresh(Path page) throws Exception {
        String text = Files.readString(page);
        String out = replace(CODE, text, m -> m.group(1) + "```java\n" + source(m.group(2)) + "```\n" + m.group(4));
        out = replace(OUTPUT, out, m -> m.group(1) + "```\n" + run(m.group(2), m.group(3), m.group(4).trim()) + "```\n" + m.group(6));
        if (!out.equals(text)) {
            Files.writeString(page, out);
            System.out.println("refreshed " + page);
        }
    }

    interface Replacer {
        String apply(Matcher m) throws Exception;
    }

    static String replace(Pattern p, String text, Replacer r) throws Exception {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(r.apply(m)));
        m.appendTail(sb);
        return sb.toString();
    }

    /** The example's source without its package line and the comment of its class. */
    static String source(String cls) throws IOException {
        String s = Files.readString(SOURCES.resolve(cls + ".java"));
        s = s.replaceFirst("(?s)^package [^;]+;\\s*", "");
        s = s.replaceFirst("(?s)/\\*\\*((?!\\*/).)*\\*/\\s*(public (final )?class )", "$2");
        return s.endsWith("\n") ? s : s + "\n";
    }

    static final String MARK = "--- main starts ---";
    static Path launcherDir;

    /** A class that prints {@link #MARK} and then runs the main method named by its first argument. */
    static synchronized Path launcher() throws IOException {
        if (launcherDir != null) return launcherDir;
        launcherDir = Files.createTempDirectory("timed-main");
        Path src = launcherDir.resolve("TimedMain.java");
        Files.writeString(src, """
                public class TimedMain {
                    public static void main(String[] args) throws Throwable {
                        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
                        var main = Class.forName(args[0]).getMethod("main", String[].class);
                        System.out.println("%s");
                        try {
                            main.invoke(null, (Object) rest);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                }
                """.formatted(MARK));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", launcherDir.toString(), src.toString());
        if (rc != 0) throw new IllegalStateException("could not compile the launcher");
        return launcherDir;
    }

    static String run(String kind, String cls, String args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String examples = ROOT.resolve("examples/target/classes").toString();
        String coopJar = ROOT.resolve("agent/target/coop.jar").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        if (args.startsWith("+agent")) {             // under -javaagent:coop.jar
            args = args.substring("+agent".length()).trim();
            cmd.addAll(List.of("-Dcoop.monitor=false", "-javaagent:" + coopJar, "-cp", examples));
        } else if (args.startsWith("+coopjar")) {    // coop.jar on the class path (Monkey.patchAll)
            args = args.substring("+coopjar".length()).trim();
            cmd.addAll(List.of("-Dcoop.monitor=false", "-XX:+EnableDynamicAgentLoading", "-cp", examples + ":" + coopJar));
        } else {
            cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                    ROOT.resolve("runtime/target/classes") + ":" + examples));
        }
        if (kind.equals("output-timed")) {
            // times count from the start of main: a launcher prints a mark, then calls it
            cmd.set(cmd.indexOf("-cp") + 1, cmd.get(cmd.indexOf("-cp") + 1) + ":" + launcher());
            cmd.add("TimedMain");
        }
        cmd.add("io.coop.examples." + cls);
        if (!args.isEmpty()) cmd.addAll(List.of(args.split("\\s+")));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (kind.equals("output+err")) pb.redirectErrorStream(true);
        else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        StringBuilder sb = new StringBuilder();
        long t0 = -1;
        try (InputStream in = p.getInputStream()) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String l = new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                line.setLength(0);
                if (kind.equals("output-timed")) {
                    long now = System.nanoTime();
                    if (l.equals(MARK)) {
                        t0 = now;
                        continue;
                    }
                    sb.append(String.format("%5d ms  ", (now - t0) / 1_000_000));
                }
                sb.append(l).append('\n');
            }
        }
        p.waitFor();
        System.out.println("ran " + cls + " " + args);
        return sb.toString();
    }
}
