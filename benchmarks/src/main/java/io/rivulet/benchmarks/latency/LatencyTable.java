package io.rivulet.benchmarks.latency;

import java.util.List;
import java.util.Locale;

/** The latency results as a Markdown table, Rivulet next to the raw client per backend and load shape. */
public final class LatencyTable {

    private LatencyTable() {
    }

    /** What was measured and how, then the table; {@code s} may be null when the settings are unknown. */
    public static String markdown(List<LatencyBenchmark.Row> rows, LatencyBenchmark.Settings s) {
        StringBuilder md = new StringBuilder();
        md.append("Latency = from the send (ping-pong: just before the publish call; open loop: the message's "
                + "intended send time, so a stalled sender cannot hide its delay) to the consumer's handler "
                + "receiving the message, before its ack (the ack is sent right after, on both sides, and is "
                + "not included). 100-byte payloads, one queue per side, both sides connected throughout.");
        if (s != null) {
            md.append(String.format(Locale.ROOT, " Per side, after a warm-up: %d rounds (alternating which "
                            + "side goes first) of %,d ping-pong messages and %,d ms open loop at %,d msgs/s; "
                            + "rounds pooled.", s.rounds(), s.pings(), s.millis(), s.rate()));
        }
        md.append(" Ratio = Rivulet / raw (1.00× = no overhead, higher = Rivulet slower).\n\n");
        md.append("| Backend | Load | Raw client | Rivulet p50 | Raw p50 | p50 ratio | Rivulet p99 | Raw p99 "
                + "| p99 ratio | Rivulet p99.9 | Raw p99.9 | Rivulet max | Raw max | Samples per side |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LatencyBenchmark.Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f× | %s | %s | %.2f× | %s | %s "
                            + "| %s | %s | %,d |%n", r.backend(), r.mode(), r.baseline(), time(r.rivulet().p50()),
                    time(r.raw().p50()), r.p50Ratio(), time(r.rivulet().p99()), time(r.raw().p99()), r.p99Ratio(),
                    time(r.rivulet().p999()), time(r.raw().p999()), time(r.rivulet().max()), time(r.raw().max()),
                    r.rivulet().count()));
        }
        return md.append('\n').toString();
    }

    /** A latency in nanoseconds, in µs below a millisecond, else in ms. */
    public static String time(long nanos) {
        double us = nanos / 1e3;
        if (us < 10) {
            return String.format(Locale.ROOT, "%.1f µs", us);
        }
        if (us < 1000) {
            return String.format(Locale.ROOT, "%.0f µs", us);
        }
        double ms = us / 1e3;
        return String.format(Locale.ROOT, ms < 100 ? "%.2f ms" : "%,.0f ms", ms);
    }
}
