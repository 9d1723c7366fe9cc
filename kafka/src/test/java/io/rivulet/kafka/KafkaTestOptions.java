package io.rivulet.kafka;

import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;

/** Options for tests against the shared broker: short delay tiers, timeouts and group timings. */
final class KafkaTestOptions {

    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

    private KafkaTestOptions() {
    }

    static KafkaOptions.Builder builder() {
        return KafkaOptions.builder()
                .bootstrapServers(KafkaBrokerExtension.broker().bootstrapServers())
                .delayTiers(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .visibilityTimeout(VISIBILITY_TIMEOUT)
                .apiTimeout(Duration.ofSeconds(15))
                .clientProperty("session.timeout.ms", "6000")
                .clientProperty("heartbeat.interval.ms", "500")
                .clientProperty("linger.ms", "1")
                .clientProperty("retry.backoff.ms", "10");
    }
}
