package io.rivulet.samples.service;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Kafka unreachable: the Kafka broker connects lazily, so the service starts and {@code /ready} answers 503. */
@TestPropertySource(properties = "rivulet.backend=kafka")
class KafkaDownTest extends UnreachableBrokerTest {

    @DynamicPropertySource
    static void closedPort(DynamicPropertyRegistry registry) {
        registry.add("rivulet.kafka.bootstrap", () -> "127.0.0.1:" + CLOSED_PORT);
    }

    @Override
    String backend() {
        return "kafka";
    }
}
