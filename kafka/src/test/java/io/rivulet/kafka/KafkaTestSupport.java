package io.rivulet.kafka;

import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import reactor.core.publisher.Mono;

/** Test helpers that look at Kafka directly, past Rivulet. */
final class KafkaTestSupport {

    private KafkaTestSupport() {
    }

    static String topic(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.broker().bootstrapServers()));
    }

    /** The sum of the committed offsets of a group on a topic (0 where none). */
    static long committed(Admin admin, String group, String topic) {
        try {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> m =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return m.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new AssertionError("Could not read the offsets of group " + group, e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after {@code patience}. */
    static void await(String what, Duration patience, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + patience + " waiting for " + what);
            }
            Mono.delay(Duration.ofMillis(50)).block();
        }
    }
}
