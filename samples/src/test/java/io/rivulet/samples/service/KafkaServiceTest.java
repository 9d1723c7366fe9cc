package io.rivulet.samples.service;

import io.rivulet.kafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The service's contract on a real Kafka broker: a fresh single-node KRaft broker in a JVM of its own
 * ({@link KafkaBrokerExtension}, from the kafka module's test-jar), so topics and groups are the
 * run's own. The service is stopped after the class; the broker when the test JVM's run ends.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestPropertySource(properties = "rivulet.backend=kafka")
@DirtiesContext
class KafkaServiceTest extends ServiceContractTest {

    @DynamicPropertySource
    static void bootstrap(DynamicPropertyRegistry registry) {
        registry.add("rivulet.kafka.bootstrap", () -> KafkaBrokerExtension.broker().bootstrapServers());
    }
}
