package io.rivulet.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.benchmarks.latency.LatencyBenchmark;
import io.rivulet.benchmarks.latency.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report turns the latency step's JSON into a table with ratios and a chart of its own. */
class LatencyReportSmokeTest {

    @Test
    void reportAddsTheLatencyTableAndChart(@TempDir Path dir) throws Exception {
        LatencyBenchmark.Settings s = new LatencyBenchmark.Settings(100, 1000, 2000, 2);
        List<LatencyBenchmark.Row> rows = List.of(
                new LatencyBenchmark.Row("memory", "ping-pong", "bare Reactor Sinks",
                        new Percentiles(200, 30_000, 90_000, 200_000, 400_000),
                        new Percentiles(200, 20_000, 60_000, 100_000, 300_000)),
                new LatencyBenchmark.Row("kafka", "open loop 1,000/s", "raw kafka-clients",
                        new Percentiles(4000, 8_000_000, 20_000_000, 30_000_000, 45_000_000),
                        new Percentiles(4000, 8_000_000, 16_000_000, 25_000_000, 40_000_000)));
        Harness.JSON.writeValue(dir.resolve(Harness.LATENCY).toFile(), new LatencyBenchmark.Results(s, rows));

        Harness.main(new String[] {"report", "smoke", dir.resolve("none.json").toString(), dir.toString(),
                dir.toString()});

        String md = Files.readString(dir.resolve("summary-smoke.md"));
        assertThat(md).contains("## Latency: Rivulet vs the raw client",
                "| memory | ping-pong | bare Reactor Sinks | 30 µs | 20 µs | 1.50× | 90 µs | 60 µs | 1.50× |",
                "| kafka | open loop 1,000/s | raw kafka-clients | 8.00 ms | 8.00 ms | 1.00× | 20.00 ms | 16.00 ms | 1.25× |",
                "2 rounds", "![latency](latency-smoke.png)");
        assertThat(Files.size(dir.resolve("latency-smoke.png"))).isGreaterThan(1000);
    }
}
