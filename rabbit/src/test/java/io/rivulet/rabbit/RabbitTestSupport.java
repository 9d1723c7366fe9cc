package io.rivulet.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.rivulet.core.Broker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Shared by the module's tests: options against the local RabbitMQ, and cleanup of what tests declared. */
final class RabbitTestSupport {

    static final Duration VISIBILITY = Duration.ofSeconds(5);
    static final List<Duration> TIERS = List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(5));

    private RabbitTestSupport() {
    }

    /** Options for tests: short delay tiers and visibility timeout, a unique connection name. */
    static RabbitOptions.Builder options() {
        return RabbitOptions.builder()
                .delayTiers(TIERS)
                .visibilityTimeout(VISIBILITY)
                .confirmTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5))
                .recoveryInterval(Duration.ofMillis(500))
                .connectionName("rivulet-test-" + UUID.randomUUID());
    }

    /** A broker on the local RabbitMQ; fails loudly if there is none. */
    static Broker broker(RabbitOptions options) {
        try {
            return RabbitBroker.create(options);
        } catch (RabbitConnectException e) {
            throw new AssertionError("These tests need RabbitMQ on 127.0.0.1:5672 (guest/guest):"
                    + " run scripts/test.sh, which starts it. " + e.getMessage(), e);
        }
    }

    /** Deletes every queue of the topics (work, dlq, delay tiers). */
    static void deleteTopics(Collection<String> topics, List<Duration> tiers) {
        if (topics.isEmpty()) {
            return;
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (Connection c = f.newConnection("rivulet-test-cleanup")) {
            for (String topic : topics) {
                Channel ch = c.createChannel();
                ch.queueDelete(topic);
                ch.queueDelete(topic + ".dlq");
                for (Duration t : tiers) {
                    ch.queueDelete(topic + ".delay." + t.toMillis() + "ms");
                }
                ch.close();
            }
        } catch (Exception e) {
            throw new AssertionError("Could not delete the test queues of " + topics + ": " + e, e);
        }
    }

    /** The topics a broker declared. */
    static List<String> topicsOf(Broker broker) {
        return broker.admin().queues().collectList().block(Duration.ofSeconds(10));
    }
}
