package io.rivulet.benchmarks.harness;

import io.rivulet.benchmarks.latency.LatencyBenchmark;
import io.rivulet.benchmarks.latency.LatencyChart;
import io.rivulet.benchmarks.latency.LatencyTable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes the results table ({@code summary-PROFILE.md}) and chart ({@code summary-PROFILE.png}) of a
 * run, and the latency chart ({@code latency-PROFILE.png}) when latency was measured.
 */
final class Report {

    private Report() {
    }

    static String markdown(String profile) {
        return "summary-" + profile + ".md";
    }

    static String chart(String profile) {
        return "summary-" + profile + ".png";
    }

    static String latencyChart(String profile) {
        return "latency-" + profile + ".png";
    }

    static void write(String profile, Path jmhJson, Path parts, Path out) throws Exception {
        List<JmhResults.Pair> pairs = JmhResults.read(jmhJson);
        List<IoScaling.Point> scaling = Files.exists(parts.resolve(Harness.IO_SCALING))
                ? Arrays.asList(Harness.JSON.readValue(parts.resolve(Harness.IO_SCALING).toFile(),
                        IoScaling.Point[].class))
                : List.of();
        Backlog.Result backlog = Files.exists(parts.resolve(Harness.BACKLOG))
                ? Harness.JSON.readValue(parts.resolve(Harness.BACKLOG).toFile(), Backlog.Result.class)
                : null;
        List<Peer> peers = Files.exists(parts.resolve(Harness.PEERS))
                ? Arrays.asList(Harness.JSON.readValue(parts.resolve(Harness.PEERS).toFile(), Peer[].class))
                : List.of();
        LatencyBenchmark.Results latency = Files.exists(parts.resolve(Harness.LATENCY))
                ? Harness.JSON.readValue(parts.resolve(Harness.LATENCY).toFile(), LatencyBenchmark.Results.class)
                : null;
        StringBuilder md = new StringBuilder();
        md.append("# Rivulet benchmark results (").append(profile).append(" profile)\n\n");
        md.append(machine()).append('\n');
        md.append("Reproduce: `scripts/bench.sh ").append(profile).append("` (writes this file and `")
                .append(chart(profile)).append("`).\n\n![chart](").append(chart(profile)).append(")\n\n");
        jmh(md, pairs);
        peers(md, peers);
        verbatim(md, "Kafka: Rivulet vs raw kafka-clients (KafkaThroughput, same run)", parts.resolve("kafka.txt"));
        verbatim(md, "RabbitMQ: Rivulet vs raw amqp-client (RabbitPeerBenchmark, same run)",
                parts.resolve("rabbit.txt"));
        latency(md, profile, latency);
        scaling(md, scaling);
        backlog(md, backlog);
        Files.createDirectories(out);
        Files.writeString(out.resolve(markdown(profile)), md);
        Chart.write(out.resolve(chart(profile)), pairs, scaling);
        if (latency != null) {
            LatencyChart.write(out.resolve(latencyChart(profile)), latency.rows());
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: the CPU model stays unknown
        }
        long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(Locale.ROOT, "- Date: %s (UTC)%n- Machine: %d cores (%s), %d GiB RAM, %s %s%n"
                        + "- JDK: %s %s%n", LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(),
                cpu, ram >> 30, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
    }

    private static void jmh(StringBuilder md, List<JmhResults.Pair> pairs) {
        md.append("## Rivulet next to the baseline doing the same work (JMH, same run)\n\n");
        if (pairs.isEmpty()) {
            md.append("No JMH results in this run.\n\n");
            return;
        }
        md.append("Throughput in ops/s (one op = one message unless the benchmark says otherwise); latency in "
                + "the benchmark's unit. Ratio = Rivulet / baseline for throughput, baseline / Rivulet for latency: "
                + "100 % means no overhead.\n\n");
        md.append("| Benchmark | Params | Rivulet | Baseline | Baseline score | Ratio | Rivulet B/op | Baseline B/op |\n");
        md.append("|---|---|---:|---|---:|---:|---:|---:|\n");
        for (JmhResults.Pair p : pairs) {
            md.append(String.format(Locale.ROOT, "| %s.%s | %s | %s | %s | %s | %.0f %% | %s | %s |%n",
                    p.benchmark(), p.rivulet().method(), p.params(), score(p.rivulet()), p.baseline().method(),
                    score(p.baseline()), p.ratio() * 100, alloc(p.rivulet()), alloc(p.baseline())));
        }
        md.append('\n');
    }

    private static String score(JmhResults.Score s) {
        String main = s.mode().equals("thrpt")
                ? String.format(Locale.ROOT, "%,.0f", s.score())
                : String.format(Locale.ROOT, "%,.3f %s", s.score(), s.unit());
        if (!Double.isNaN(s.error()) && s.mode().equals("thrpt")) {
            main += String.format(Locale.ROOT, " ± %,.0f", s.error());
        }
        if (s.p50() != null) {
            main += String.format(Locale.ROOT, " (p50 %,.3f, p99 %,.3f %s)", s.p50(), s.p99(), s.unit());
        }
        return main;
    }

    private static String alloc(JmhResults.Score s) {
        return s.allocBytesPerOp() == null ? "" : String.format(Locale.ROOT, "%,.0f", s.allocBytesPerOp());
    }

    private static void peers(StringBuilder md, List<Peer> peers) {
        md.append("## Queue libraries on the same Redis (peer harness, same run)\n\n");
        if (peers.isEmpty()) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "One after another on the same Redis: %d-byte messages, %d publishes in "
                + "flight, then the backlog drained at concurrency %d. Ratio = Rivulet / peer.%n%n", RedisPeers.SIZE,
                RedisPeers.INFLIGHT, RedisPeers.CONCURRENCY));
        md.append("| Library | How | Produce msgs/s | Consume msgs/s | Rivulet / it (produce) | Rivulet / it (consume) |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        Peer rivulet = peers.get(0);
        for (Peer p : peers) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f× | %.2f× |%n", p.name(), p.how(),
                    p.produce(), p.consume(), rivulet.produce() / p.produce(), rivulet.consume() / p.consume()));
        }
        md.append('\n');
    }

    private static void verbatim(StringBuilder md, String title, Path output) throws java.io.IOException {
        md.append("## ").append(title).append("\n\n");
        if (!Files.exists(output)) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append("```\n").append(Files.readString(output).strip()).append("\n```\n\n");
    }

    private static void latency(StringBuilder md, String profile, LatencyBenchmark.Results r) {
        md.append("## Latency: Rivulet vs the raw client, publish → handler (same run)\n\n");
        if (r == null) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append(LatencyTable.markdown(r.rows(), r.settings()));
        md.append("![latency](").append(latencyChart(profile)).append(")\n\n");
    }

    private static void scaling(StringBuilder md, List<IoScaling.Point> points) {
        md.append("## I/O-bound scaling (memory backend)\n\n");
        if (points.isEmpty()) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append("`Handle.concurrently` with a handler that waits ").append(IoScaling.WAIT_MS)
                .append(" ms without blocking (`Mono.delay`), over a backlog. Ideal = concurrency / 10 ms.\n\n");
        md.append("| Concurrency | Messages | Achieved msgs/s | Ideal msgs/s | Achieved / ideal |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        for (IoScaling.Point p : points) {
            md.append(String.format(Locale.ROOT, "| %d | %,d | %,.0f | %,.0f | %.0f %% |%n", p.concurrency(),
                    p.messages(), p.achieved(), p.ideal(), p.efficiency() * 100));
        }
        md.append('\n');
    }

    private static void backlog(StringBuilder md, Backlog.Result r) {
        md.append("## Draining a backlog on the memory backend (prefetch ").append(Backlog.PREFETCH).append(")\n\n");
        if (r == null) {
            md.append("Not measured in this run.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "%,d messages of %d bytes (a payload each), consumed and acked at "
                        + "%,.0f msgs/s; max heap %,d MB, heap bound %,d ready messages per queue "
                        + "(`MemoryOptions.heapBacklog`).%n%n", r.messages(), Backlog.PAYLOAD_BYTES, r.rate(),
                r.maxHeap() >> 20, r.heapBacklog()));
        md.append("| Live heap holding the backlog | Direct memory holding it | Peak live heap while consuming "
                + "| Live heap after draining |\n|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %,d MB | %,d MB | %,d MB | %,d MB |%n%n", r.liveWithBacklog() >> 20,
                r.directWithBacklog() >> 20, r.peakLiveWhileConsuming() >> 20, r.liveAfterDrain() >> 20));
        md.append("Beyond the heap bound the memory backend keeps a queue's ready messages serialized in direct "
                + "memory (about ").append(r.directWithBacklog() / Math.max(1, r.messages()))
                .append(" bytes per message here), so the heap stays bounded whatever the backlog. The peak is the "
                + "highest heap use left after any collection while consuming: the live set plus garbage a "
                + "collection had not reached yet.\n\n");
    }
}
