package io.rivulet.benchmarks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.kafka.testing.KafkaTestBroker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs every Kafka measurement once with few messages, so the benchmark code keeps working. */
class KafkaThroughputSmokeTest {

    @Test
    void everyMeasurementCompletesAgainstARealBroker() {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            List<KafkaThroughput.Result> results = KafkaThroughput.run(kafka.bootstrapServers(), 2_000, false);
            assertThat(results).extracting(KafkaThroughput.Result::what)
                    .containsExactly("produce", "produce -> consume -> ack");
            assertThat(results).allSatisfy(r -> {
                assertThat(r.raw().rate()).isPositive();
                assertThat(r.rivulet().rate()).isPositive();
                assertThat(r.raw().cpuMicros()).isPositive();
                assertThat(r.rivulet().cpuMicros()).isPositive();
                assertThat(r.raw().allocatedBytes()).isPositive();
                assertThat(r.rivulet().allocatedBytes()).isPositive();
            });
        }
    }
}
