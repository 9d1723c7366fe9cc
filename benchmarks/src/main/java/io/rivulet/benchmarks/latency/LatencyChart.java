package io.rivulet.benchmarks.latency;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the latency chart with Java2D: one group of bars per backend and load shape — Rivulet's
 * p50 and p99 next to the raw client's — on a logarithmic time axis, since memory is measured in
 * microseconds and Kafka in milliseconds.
 */
public final class LatencyChart {

    private static final int WIDTH = 1400;
    private static final int BAR = 13;
    private static final int GROUP_GAP = 14;
    private static final int LABEL_WIDTH = 300;
    private static final Color RIVULET = new Color(0x1f77b4);
    private static final Color RIVULET_P99 = new Color(0x9ecae9);
    private static final Color RAW = new Color(0x555555);
    private static final Color RAW_P99 = new Color(0xbbbbbb);

    private LatencyChart() {
    }

    /** Writes the chart of {@code rows} as a PNG. */
    public static void write(Path png, List<LatencyBenchmark.Row> rows) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int top = 70;
        int height = top + Math.max(1, rows.size()) * (4 * BAR + GROUP_GAP) + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Publish → handler latency, Rivulet vs the raw client (log scale, shorter is better)", 20, 24);
        legend(g, 20, 44);
        double min = Double.MAX_VALUE;
        double max = 1;
        for (LatencyBenchmark.Row r : rows) {
            min = Math.min(min, Math.min(r.rivulet().p50(), r.raw().p50()));
            max = Math.max(max, Math.max(r.rivulet().p99(), r.raw().p99()));
        }
        double lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, rows.isEmpty() ? 1 : min))));
        double hi = Math.pow(10, Math.ceil(Math.log10(max * 1.01)));
        int left = 20 + LABEL_WIDTH;
        int plotW = WIDTH - left - 120;
        int bottom = height - 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double v = lo; v <= hi * 1.0001; v *= 10) {
            int x = left + (int) (plotW * Math.log(v / lo) / Math.log(hi / lo));
            g.setColor(new Color(0xeeeeee));
            g.drawLine(x, top - 6, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(tick(v), x - 14, bottom + 16);
        }
        int y = top;
        for (LatencyBenchmark.Row r : rows) {
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(r.backend() + ", " + r.mode(), 20, y + 2 * BAR + 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString("vs " + r.baseline(), 20, y + 3 * BAR + 4);
            long[] values = {r.rivulet().p50(), r.raw().p50(), r.rivulet().p99(), r.raw().p99()};
            Color[] colors = {RIVULET, RAW, RIVULET_P99, RAW_P99};
            for (int i = 0; i < 4; i++) {
                int w = Math.max(1, (int) (plotW * Math.log(Math.max(values[i], lo) / lo) / Math.log(hi / lo)));
                g.setColor(colors[i]);
                g.fillRect(left, y + i * BAR, w, BAR - 2);
                g.setColor(Color.DARK_GRAY);
                g.drawString(LatencyTable.time(values[i]), left + w + 4, y + i * BAR + BAR - 3);
            }
            y += 4 * BAR + GROUP_GAP;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static String tick(double nanos) {
        return nanos >= 1e6 ? String.format("%,.0f ms", nanos / 1e6) : String.format("%,.0f µs", nanos / 1e3);
    }

    private static void legend(Graphics2D g, int x, int y) {
        String[] names = {"Rivulet p50", "raw p50", "Rivulet p99", "raw p99"};
        Color[] colors = {RIVULET, RAW, RIVULET_P99, RAW_P99};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x + i * 140, y - 10, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names[i], x + i * 140 + 18, y);
        }
    }
}
