package io.rivulet.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs each backend's latency comparison tiny, against the real brokers (Redis and RabbitMQ on
 * 127.0.0.1, a Kafka broker started for the test): both sides get every message to the handler and
 * report sane percentiles.
 */
class LatencySmokeTest {

    private static final LatencyBenchmark.Settings TINY = new LatencyBenchmark.Settings(20, 200, 500, 1);
    /** Far above any healthy latency here, far below "lost and found again". */
    private static final long SANE_MAX_NANOS = 20_000_000_000L;

    @Test
    void memoryAgainstBareSinks() throws Exception {
        check(Backends.MEMORY, "bare Reactor Sinks");
    }

    @Test
    void redisAgainstRawLettuce() throws Exception {
        check(Backends.REDIS, "raw Lettuce");
    }

    @Test
    void kafkaAgainstRawKafkaClients() throws Exception {
        check(Backends.KAFKA, "raw kafka-clients");
    }

    @Test
    void rabbitAgainstRawAmqpClient() throws Exception {
        check(Backends.RABBIT, "raw amqp-client");
    }

    private static void check(String backend, String baseline) throws Exception {
        List<LatencyBenchmark.Row> rows = LatencyBenchmark.run(TINY, List.of(backend));

        assertThat(rows).extracting(LatencyBenchmark.Row::mode).containsExactly("ping-pong", "open loop 200/s");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.backend()).isEqualTo(backend);
            assertThat(r.baseline()).isEqualTo(baseline);
            int expected = r.mode().equals("ping-pong") ? 20 : 100;
            for (Percentiles p : List.of(r.rivulet(), r.raw())) {
                assertThat(p.count()).isEqualTo(expected);
                assertThat(p.p50()).isPositive().isLessThanOrEqualTo(p.p99());
                assertThat(p.p99()).isLessThanOrEqualTo(p.p999());
                assertThat(p.p999()).isLessThanOrEqualTo(p.max());
                assertThat(p.max()).isLessThan(SANE_MAX_NANOS);
            }
            assertThat(r.p50Ratio()).isPositive();
        });
        assertThat(LatencyTable.markdown(rows, TINY)).contains("| " + backend + " | ping-pong | " + baseline + " |");
    }
}
