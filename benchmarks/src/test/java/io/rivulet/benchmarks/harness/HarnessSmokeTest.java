package io.rivulet.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * The smoke pass CI runs: every memory benchmark starts under JMH (one short iteration, in this
 * JVM), the harness's measurements run at tiny sizes, and the report turns them into a table and
 * a chart.
 */
class HarnessSmokeTest {

    @Test
    void everyMemoryBenchmarkRunsUnderJmhAndTheReportPairsThem(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        new Runner(new OptionsBuilder()
                .include("io\\.rivulet\\.benchmarks\\.(MemoryHandoff|MultiPairHandoff|operators\\.OperatorOverhead)\\.")
                .param("pairs", "2")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build()).run();

        List<JmhResults.Pair> pairs = JmhResults.read(json);
        assertThat(pairs).extracting(p -> p.benchmark() + "." + p.rivulet().method() + "/" + p.baseline().method())
                .contains("MemoryHandoff.rivulet/bareSinks", "MultiPairHandoff.rivulet/bareSinks",
                        "OperatorOverhead.rivulet/bare");
        assertThat(pairs).filteredOn(p -> p.benchmark().equals("OperatorOverhead")).hasSize(4);
        assertThat(pairs).allSatisfy(p -> assertThat(p.ratio()).isPositive());

        List<IoScaling.Point> scaling = IoScaling.run(5, new int[] {1, 4});
        assertThat(scaling).extracting(IoScaling.Point::messages).containsExactly(5, 20);
        // Five 10 ms waits one after another cannot finish in under 50 ms.
        assertThat(scaling.get(0).achieved()).isPositive().isLessThanOrEqualTo(scaling.get(0).ideal() * 1.05);
        Harness.main(new String[] {"io-scaling", "2", dir.toString()});
        Harness.main(new String[] {"backlog", "20000", dir.toString()});
        Harness.main(new String[] {"report", "smoke", json.toString(), dir.toString(), dir.toString()});

        String md = Files.readString(dir.resolve("summary-smoke.md"));
        assertThat(md).contains("| MemoryHandoff.rivulet |", "| 512 |", "20,000 messages of 100 bytes");
        assertThat(Files.size(dir.resolve("summary-smoke.png"))).isGreaterThan(1000);
    }
}
