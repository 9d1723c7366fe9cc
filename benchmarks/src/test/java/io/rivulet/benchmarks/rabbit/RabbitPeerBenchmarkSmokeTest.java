package io.rivulet.benchmarks.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs the RabbitMQ peer comparison tiny, against the real broker: both peers move every message. */
class RabbitPeerBenchmarkSmokeTest {

    @Test
    void bothPeersPublishAndConsumeEveryMessage() throws Exception {
        RabbitPeerBenchmark.Result r = RabbitPeerBenchmark.compare(2_000, 1, false);

        assertThat(r.raw()).hasSize(1).allSatisfy(rate -> assertThat(rate).isPositive());
        assertThat(r.rivulet()).hasSize(1).allSatisfy(rate -> assertThat(rate).isPositive());
        assertThat(r.report()).contains("ratio Rivulet/raw");
    }
}
