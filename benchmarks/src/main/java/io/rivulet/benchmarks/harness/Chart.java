package io.rivulet.benchmarks.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the results chart with Java2D (no extra dependency): on the left, Rivulet as a percentage of
 * each baseline with the 90 % target; on the right, I/O-bound scaling, achieved against ideal, on
 * log-log axes.
 */
final class Chart {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 640;
    private static final Color RIVULET = new Color(0x1f77b4);
    private static final Color IDEAL = new Color(0x999999);
    private static final Color TARGET = new Color(0xd62728);

    private Chart() {
    }

    static void write(Path png, List<JmhResults.Pair> pairs, List<IoScaling.Point> scaling) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        ratios(g, pairs, 20, 20, 760, 600);
        scaling(g, scaling, 820, 20, 560, 600);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void ratios(Graphics2D g, List<JmhResults.Pair> pairs, int x, int y, int w, int h) {
        title(g, "Rivulet as % of the baseline doing the same work (higher is better)", x, y);
        int labelWidth = 330;
        int top = y + 40;
        int rowHeight = pairs.isEmpty() ? 20 : Math.min(28, (h - 80) / pairs.size());
        double max = Math.max(120, pairs.stream().mapToDouble(p -> p.ratio() * 100).max().orElse(100));
        int barSpace = w - labelWidth - 60;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(12, rowHeight - 6))));
        for (int i = 0; i < pairs.size(); i++) {
            JmhResults.Pair p = pairs.get(i);
            int rowY = top + i * rowHeight;
            String label = p.benchmark() + "." + p.rivulet().method()
                    + (p.params().isEmpty() ? "" : " [" + p.params() + "]");
            g.setColor(Color.DARK_GRAY);
            g.drawString(shorten(label, 52), x, rowY + rowHeight - 8);
            int barW = (int) (barSpace * Math.min(max, p.ratio() * 100) / max);
            g.setColor(RIVULET);
            g.fillRect(x + labelWidth, rowY + 3, Math.max(1, barW), rowHeight - 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f %%", p.ratio() * 100), x + labelWidth + barW + 4, rowY + rowHeight - 8);
        }
        int targetX = x + labelWidth + (int) (barSpace * 90 / max);
        g.setColor(TARGET);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(targetX, top, targetX, top + Math.max(1, pairs.size()) * rowHeight);
        g.drawString("90 %", targetX - 12, top - 4);
        g.setStroke(new BasicStroke(1));
    }

    private static void scaling(Graphics2D g, List<IoScaling.Point> points, int x, int y, int w, int h) {
        title(g, "I/O-bound handler (10 ms wait): msgs/s by concurrency", x, y);
        if (points.isEmpty()) {
            return;
        }
        int left = x + 60;
        int bottom = y + h - 40;
        int plotW = w - 80;
        int plotH = h - 100;
        double minC = points.get(0).concurrency();
        double maxC = points.get(points.size() - 1).concurrency();
        double minV = Math.min(points.get(0).achieved(), points.get(0).ideal()) / 2;
        double maxV = points.stream().mapToDouble(p -> Math.max(p.ideal(), p.achieved())).max().orElse(1) * 2;
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(left, bottom - plotH, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (IoScaling.Point p : points) {
            int px = left + (int) (plotW * log(p.concurrency() / minC) / log(Math.max(2, maxC / minC)));
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(p.concurrency()), px - 8, bottom + 16);
        }
        for (double v = Math.pow(10, Math.floor(Math.log10(minV))); v <= maxV; v *= 10) {
            int py = bottom - (int) (plotH * log(v / minV) / log(maxV / minV));
            if (py <= bottom && py >= bottom - plotH) {
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%,.0f", v), x, py + 4);
            }
        }
        line(g, points, true, IDEAL, left, bottom, plotW, plotH, minC, maxC, minV, maxV);
        line(g, points, false, RIVULET, left, bottom, plotW, plotH, minC, maxC, minV, maxV);
        g.setColor(IDEAL);
        g.drawString("ideal: concurrency / 10 ms", left + 10, bottom - plotH + 16);
        g.setColor(RIVULET);
        g.drawString("Rivulet Handle.concurrently (memory)", left + 10, bottom - plotH + 32);
    }

    private static void line(Graphics2D g, List<IoScaling.Point> points, boolean ideal, Color color, int left,
                             int bottom, int plotW, int plotH, double minC, double maxC, double minV, double maxV) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2));
        int lastX = -1;
        int lastY = -1;
        for (IoScaling.Point p : points) {
            double v = ideal ? p.ideal() : p.achieved();
            int px = left + (int) (plotW * log(p.concurrency() / minC) / log(Math.max(2, maxC / minC)));
            int py = bottom - (int) (plotH * log(v / minV) / log(maxV / minV));
            g.fillOval(px - 3, py - 3, 6, 6);
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, px, py);
            }
            lastX = px;
            lastY = py;
        }
        g.setStroke(new BasicStroke(1));
    }

    private static void title(Graphics2D g, String text, int x, int y) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(text, x, y + 14);
    }

    private static double log(double v) {
        return Math.log(Math.max(v, 1e-9));
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
