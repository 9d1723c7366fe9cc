package io.rivulet.kafka;

import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Brokers;
import io.rivulet.kafka.internal.KafkaBackend;

/**
 * Creates brokers on Apache Kafka. A queue is a topic plus a consumer group
 * ({@code <consumerGroup>.<topic>}): consumers of one broker, and brokers with the same
 * {@link KafkaOptions#consumerGroup()}, compete for its messages; brokers with different groups
 * each get every message. Offsets are committed only for settled records, never past an
 * unsettled one. Delays go through per-queue delay-tier topics, dead letters to
 * {@code <topic>.dlq}. See {@code docs/kafka.md} for the full mapping.
 *
 * <p>Creating a broker connects lazily: the first publish, consume or admin call reaches Kafka and
 * fails with a clear error if it cannot.
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    /** A Kafka broker with the given options and default broker options. */
    public static Broker create(KafkaOptions options) {
        return create(options, BrokerOptions.defaults());
    }

    /** A Kafka broker with the given backend and broker options. */
    public static Broker create(KafkaOptions options, BrokerOptions brokerOptions) {
        return Brokers.create(new KafkaBackend(options, brokerOptions.maxMessageBytes()), brokerOptions);
    }
}
