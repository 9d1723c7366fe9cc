package io.rivulet.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void takesNearestRankPercentilesWhateverTheOrder() {
        List<Long> shuffled = new java.util.ArrayList<>(LongStream.rangeClosed(1, 1000).boxed().toList());
        Collections.shuffle(shuffled, new java.util.Random(7));

        Percentiles p = Percentiles.of(shuffled.stream().mapToLong(Long::longValue).toArray());

        assertThat(p).isEqualTo(new Percentiles(1000, 500, 990, 999, 1000));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        assertThat(Percentiles.of(new long[] {42})).isEqualTo(new Percentiles(1, 42, 42, 42, 42));
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Percentiles.of(new long[0])).hasMessageContaining("no latency samples");
    }

    @Test
    void settingsNameTheBadValue() {
        assertThatThrownBy(() -> new LatencyBenchmark.Settings(10, 0, 100, 1)).hasMessageContaining("rate=0");
    }
}
