package io.rivulet.benchmarks.harness;

import io.rivulet.benchmarks.latency.LatencyBenchmark;
import io.rivulet.benchmarks.latency.LatencyChart;
import io.rivulet.benchmarks.latency.LatencyTable;
import io.rivulet.core.memory.MemoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark harness's entry point, for what JMH does not measure well and for the report
 * ({@code scripts/bench.sh} calls it):
 * <pre>
 * Harness io-scaling WAITS_PER_SLOT PARTS_DIR      I/O-bound scaling, concurrency 1 … 512
 * Harness backlog MESSAGES PARTS_DIR [HEAP_BACKLOG] heap while draining a memory backlog
 * Harness peers COUNT BULLMQ_DIR PARTS_DIR         Rivulet vs BullMQ vs Redisson on one Redis
 * Harness latency PINGS RATE MILLIS ROUNDS PARTS_DIR  publish → handler latency, Rivulet vs raw clients
 * Harness report PROFILE JMH_JSON PARTS_DIR OUT    results table (Markdown) and chart (PNG)
 * </pre>
 * Each measurement writes its result as JSON into PARTS_DIR; {@code report} reads them all. The
 * peers use the Redis at {@code REDIS_HOST}:{@code REDIS_PORT} (default 127.0.0.1:6379).
 */
public final class Harness {

    static final String IO_SCALING = "io-scaling.json";
    static final String BACKLOG = "backlog.json";
    static final String PEERS = "peers.json";
    static final String LATENCY = "latency.json";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Harness() {
    }

    /** Runs one command; exits non-zero with a message on bad arguments or a failed run. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command");
        }
        switch (args[0]) {
            case "io-scaling" -> {
                need(args, 3);
                List<IoScaling.Point> points = IoScaling.run(Integer.parseInt(args[1]), IoScaling.LEVELS);
                points.forEach(p -> System.out.printf("concurrency %4d: %,10.0f msgs/s of ideal %,10.0f (%.0f %%)%n",
                        p.concurrency(), p.achieved(), p.ideal(), p.efficiency() * 100));
                write(Path.of(args[2]).resolve(IO_SCALING), points);
            }
            case "backlog" -> {
                need(args, args.length == 4 ? 4 : 3);
                int heapBacklog = args.length > 3 ? Integer.parseInt(args[3]) : MemoryOptions.DEFAULT_HEAP_BACKLOG;
                Backlog.Result r = Backlog.run(Long.parseLong(args[1]), heapBacklog);
                System.out.printf("backlog %,d (heap bound %,d): live heap with backlog %,d MB, direct memory %,d MB, "
                                + "peak live while consuming %,d MB, after drain %,d MB; %,.0f msgs/s%n", r.messages(),
                        r.heapBacklog(), r.liveWithBacklog() >> 20, r.directWithBacklog() >> 20,
                        r.peakLiveWhileConsuming() >> 20, r.liveAfterDrain() >> 20, r.rate());
                write(Path.of(args[2]).resolve(BACKLOG), r);
            }
            case "peers" -> {
                need(args, 4);
                String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
                int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
                List<Peer> peers = RedisPeers.run(host, port, Integer.parseInt(args[1]), Path.of(args[2]));
                peers.forEach(p -> System.out.printf("%-22s produce %,10.0f msgs/s, consume %,10.0f msgs/s%n",
                        p.name(), p.produce(), p.consume()));
                write(Path.of(args[3]).resolve(PEERS), peers);
            }
            case "latency" -> {
                need(args, 6);
                LatencyBenchmark.Settings s = new LatencyBenchmark.Settings(Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]));
                List<LatencyBenchmark.Row> rows = LatencyBenchmark.run(s, LatencyBenchmark.ALL);
                System.out.print(LatencyTable.markdown(rows, s));
                write(Path.of(args[5]).resolve(LATENCY), new LatencyBenchmark.Results(s, rows));
                LatencyChart.write(Path.of(args[5]).resolve("latency.png"), rows);
            }
            case "report" -> {
                need(args, 5);
                Path parts = Path.of(args[3]);
                Path out = Path.of(args[4]);
                Report.write(args[1], Path.of(args[2]), parts, out);
                System.out.println("wrote " + out.resolve(Report.markdown(args[1])) + " and "
                        + out.resolve(Report.chart(args[1])));
            }
            default -> usage("unknown command " + args[0]);
        }
    }

    private static void write(Path file, Object value) throws Exception {
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
    }

    private static void need(String[] args, int n) {
        if (args.length != n) {
            usage(args[0] + " takes " + (n - 1) + " arguments, got " + Arrays.toString(
                    Arrays.copyOfRange(args, 1, args.length)));
        }
    }

    private static void usage(String problem) {
        System.err.println("Harness: " + problem + "\nusage: Harness io-scaling WAITS_PER_SLOT PARTS_DIR"
                + " | backlog MESSAGES PARTS_DIR [HEAP_BACKLOG] | peers COUNT BULLMQ_DIR PARTS_DIR"
                + " | latency PINGS RATE MILLIS ROUNDS PARTS_DIR | report PROFILE JMH_JSON PARTS_DIR OUT_DIR");
        System.exit(2);
    }
}
