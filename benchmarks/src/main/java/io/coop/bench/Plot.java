package io.coop.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The fallback plotter (headless Java2D) for machines without matplotlib: the same three panels
 * as {@code benchmarks/python/plot.py}, drawn from {@code results.csv}, log-scale bars.
 *
 * <pre>{@code
 * java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar io.coop.bench.Plot results.csv out.png
 * }</pre>
 */
public final class Plot {
    private static final int WIDTH = 1100, LABEL_W = 430, BAR_H = 22, PANEL_PAD = 70;

    private Plot() {
    }

    record Bar(String key, String label, double median, double min, double max) {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String[]> csv = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0])).subList(1, Files.readAllLines(Path.of(args[0])).size())) {
            csv.add(splitCsv(line));
        }
        List<Bar> ping = bars(csv, "pingpong"), spawn = bars(csv, "spawnjoin"), mem = new ArrayList<>();
        for (String[] f : csv) {
            boolean heap = f[0].equals("memory-heap");
            boolean geventRss = f[0].equals("memory-rss") && csv.stream().noneMatch(o -> o[0].equals("memory-heap") && o[1].equals(f[1]));
            if (!heap && !geventRss) continue;
            double extra = csv.stream().filter(o -> o[0].equals("memory-stack") && o[1].equals(f[1]))
                    .mapToDouble(o -> Double.parseDouble(o[3])).findFirst().orElse(0);
            mem.add(new Bar(f[1], f[2], Double.parseDouble(f[3]) + extra, Double.parseDouble(f[4]) + extra, Double.parseDouble(f[5]) + extra));
        }
        List<Object[]> panels = new ArrayList<>();
        if (!ping.isEmpty()) panels.add(new Object[] {"One-way hand-off in a ping-pong (ns, log scale)", ping, BenchMain.PING_PONG_TARGET_NS, "ns"});
        if (!spawn.isEmpty()) panels.add(new Object[] {"spawn + join of a trivial task (ns, log scale)", spawn, BenchMain.SPAWN_JOIN_TARGET_NS, "ns"});
        if (!mem.isEmpty()) panels.add(new Object[] {"Memory per parked task (bytes, log scale)", mem, BenchMain.MEMORY_TARGET_BYTES, "B"});
        int height = 20;
        for (Object[] p : panels) height += PANEL_PAD + ((List<?>) p[1]).size() * (BAR_H + 6);
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        int y = 20;
        for (Object[] p : panels) {
            @SuppressWarnings("unchecked")
            List<Bar> bars = (List<Bar>) p[1];
            y = panel(g, y, (String) p[0], bars, (double) p[2], (String) p[3]);
        }
        g.dispose();
        ImageIO.write(img, "png", Path.of(args[1]).toFile());
    }

    private static int panel(Graphics2D g, int y, String title, List<Bar> bars, double target, String unit) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LABEL_W, y + 16);
        y += 30;
        double lo = target, hi = target;
        for (Bar b : bars) {
            lo = Math.min(lo, b.min);
            hi = Math.max(hi, b.max);
        }
        double floor = lo / 2, logLo = Math.log10(floor), logHi = Math.log10(hi * 3);
        int x0 = LABEL_W + 10, x1 = WIDTH - 20;
        java.util.function.DoubleUnaryOperator xOf = v -> x0 + (Math.log10(Math.max(v, floor)) - logLo) / (logHi - logLo) * (x1 - x0);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int top = y;
        for (Bar b : bars) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(b.label.length() > 70 ? b.label.substring(0, 67) + "..." : b.label, 10, y + 15);
            g.setColor(color(b.key));
            g.fillRect(x0, y + 2, (int) (xOf.applyAsDouble(b.median) - x0), BAR_H - 4);
            g.setColor(Color.BLACK);
            int xmin = (int) xOf.applyAsDouble(b.min), xmax = (int) xOf.applyAsDouble(b.max);
            g.drawLine(xmin, y + BAR_H / 2, xmax, y + BAR_H / 2);
            g.drawLine(xmin, y + 5, xmin, y + BAR_H - 5);
            g.drawLine(xmax, y + 5, xmax, y + BAR_H - 5);
            g.drawString(format(b.median, unit), xmax + 5, y + 15);
            y += BAR_H + 6;
        }
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        int xt = (int) xOf.applyAsDouble(target);
        g.drawLine(xt, top - 4, xt, y);
        g.setStroke(new BasicStroke(1));
        g.drawString("target " + format(target, unit), xt + 4, y + 14);
        g.setColor(Color.GRAY);
        g.drawLine(x0, y, x1, y);
        for (int e = (int) Math.ceil(logLo); e <= logHi; e++) {
            int x = (int) xOf.applyAsDouble(Math.pow(10, e));
            g.drawLine(x, y, x, y + 4);
            g.drawString(format(Math.pow(10, e), unit), x - 12, y + 30);
        }
        return y + PANEL_PAD - 30;
    }

    private static List<Bar> bars(List<String[]> csv, String group) {
        List<Bar> out = new ArrayList<>();
        for (String[] f : csv) {
            if (f[0].equals(group)) out.add(new Bar(f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
        }
        return out;
    }

    private static Color color(String key) {
        if (key.startsWith("PingPong.coop") || key.equals("SpawnJoin.greenlet") || key.startsWith("greenlet.")) return new Color(0xd95f02);
        if (key.startsWith("gevent")) return new Color(0x7570b3);
        if (key.toLowerCase(Locale.ROOT).contains("virtual")) return new Color(0x1b9e77);
        return new Color(0x666666);
    }

    private static String format(double v, String unit) {
        if (unit.equals("B") && v >= 10240) return String.format(Locale.ROOT, "%.0f KB", v / 1024);
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, unit);
    }

    private static String[] splitCsv(String line) {
        List<String> f = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) {
                f.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        f.add(cur.toString());
        return f.toArray(String[]::new);
    }
}
