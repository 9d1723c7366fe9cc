package io.rivulet.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Queue;
import io.rivulet.core.RivuletException;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import io.rivulet.kafka.testing.KafkaTestBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/** Bad input gets errors that name the broker or option and say what to do. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaErrorsTest {

    private static String topic() {
        return "errors." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachableBrokerFailsPublishAndConsumeClearly() throws IOException {
        String where = "127.0.0.1:" + closedPort();
        Broker broker = KafkaBroker.create(KafkaOptions.builder().bootstrapServers(where)
                .apiTimeout(Duration.ofSeconds(2)).build());
        try {
            Queue<String> queue = broker.queue(topic(), String.class);
            StepVerifier.create(queue.publish("hello"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RivuletException.class)
                            .hasMessageContaining(where)
                            .hasMessageContaining("did not answer")
                            .hasMessageContaining("KafkaOptions.bootstrapServers"))
                    .verify(Duration.ofSeconds(20));
            StepVerifier.create(queue.consume())
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining(where)
                            .hasMessageContaining("KafkaOptions.bootstrapServers"))
                    .verify(Duration.ofSeconds(20));
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void wrongPasswordIsRefusedNamingTheUserAndTheOption() {
        KafkaTestBroker kafka = KafkaBrokerExtension.broker();
        Broker broker = KafkaBroker.create(KafkaTestOptions.builder()
                .bootstrapServers(kafka.saslBootstrapServers())
                .sasl("PLAIN", KafkaTestBroker.SASL_USER, "not-the-password")
                .apiTimeout(Duration.ofSeconds(5))
                .build());
        try {
            StepVerifier.create(broker.queue(topic(), String.class).publish("hello"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RivuletException.class)
                            .hasMessageContaining("refused SASL authentication")
                            .hasMessageContaining("'" + KafkaTestBroker.SASL_USER + "'")
                            .hasMessageContaining("KafkaOptions.sasl")
                            .satisfies(err -> assertThat(err.getMessage()).doesNotContain("not-the-password")))
                    .verify(Duration.ofSeconds(20));
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void rightPasswordPublishesAndConsumesOverSasl() {
        KafkaTestBroker kafka = KafkaBrokerExtension.broker();
        Broker broker = KafkaBroker.create(KafkaTestOptions.builder()
                .bootstrapServers(kafka.saslBootstrapServers())
                .sasl("PLAIN", KafkaTestBroker.SASL_USER, KafkaTestBroker.SASL_PASSWORD)
                .build());
        try {
            Queue<String> queue = broker.queue(topic(), String.class);
            queue.publish("over sasl").block(Duration.ofSeconds(20));
            StepVerifier.create(queue.consume().concatMap(d -> d.ack().thenReturn(d.message().payload())).take(1))
                    .expectNext("over sasl")
                    .expectComplete()
                    .verify(Duration.ofSeconds(30));
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void missingTopicWithAutoCreationOffFailsPublishAndConsumeClearly() {
        Broker broker = KafkaBroker.create(KafkaTestOptions.builder().autoCreateTopics(false).build());
        String topic = topic();
        try {
            Queue<String> queue = broker.queue(topic, String.class);
            StepVerifier.create(queue.publish("hello"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RivuletException.class)
                            .hasMessageContaining("'" + topic + "' does not exist")
                            .hasMessageContaining("KafkaOptions.autoCreateTopics"))
                    .verify(Duration.ofSeconds(20));
            StepVerifier.create(queue.consume())
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("'" + topic + "' does not exist")
                            .hasMessageContaining("KafkaOptions.autoCreateTopics"))
                    .verify(Duration.ofSeconds(20));
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void existingTopicWorksWithAutoCreationOff() {
        String topic = topic();
        Broker creator = KafkaBroker.create(KafkaTestOptions.builder().build());
        Broker strict = KafkaBroker.create(KafkaTestOptions.builder().autoCreateTopics(false).build());
        try {
            creator.queue(topic, String.class).publish("first").block(Duration.ofSeconds(20));
            Queue<String> queue = strict.queue(topic, String.class);
            queue.publish("second").block(Duration.ofSeconds(20));
            StepVerifier.create(queue.consume().concatMap(d -> d.ack().thenReturn(d.message().payload())).take(2))
                    .expectNext("first", "second")
                    .expectComplete()
                    .verify(Duration.ofSeconds(30));
        } finally {
            creator.close().block(Duration.ofSeconds(10));
            strict.close().block(Duration.ofSeconds(10));
        }
    }
}
