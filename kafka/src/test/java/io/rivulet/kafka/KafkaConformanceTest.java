package io.rivulet.kafka;

import io.rivulet.core.Broker;
import io.rivulet.core.kit.ConformanceKit;
import io.rivulet.core.kit.KitClock;
import io.rivulet.core.kit.KitFixture;
import io.rivulet.kafka.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole conformance kit on a real Kafka broker, on the real clock. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaConformanceTest implements ConformanceKit {

    private final List<Broker> brokers = new ArrayList<>();
    private Broker broker;

    /**
     * Warms the JVM's Kafka client code paths (admin, idempotent producer, delay tier) once: a few
     * kit tests time a publish against the real clock (e.g. publishAt measures from before the
     * publish), and the very first publish of a cold JVM takes about a second.
     */
    @BeforeAll
    static void warmUp() {
        Broker warm = KafkaBroker.create(KafkaTestOptions.builder().build());
        try {
            io.rivulet.core.Queue<String> q = warm.queue("kit.warm-up." + java.util.UUID.randomUUID(), String.class);
            q.publishDelayed(io.rivulet.core.Message.of("warm"), Duration.ofMillis(1)).block(Duration.ofSeconds(30));
            q.consume().next().flatMap(d -> d.ack()).block(Duration.ofSeconds(30));
        } finally {
            warm.close().block(Duration.ofSeconds(15));
        }
    }

    @BeforeEach
    void open() {
        broker = newBroker();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(15)));
    }

    private Broker newBroker() {
        Broker b = KafkaBroker.create(KafkaTestOptions.builder().build());
        brokers.add(b);
        return b;
    }

    @Override
    public KitFixture fixture() {
        return KitFixture.of(() -> broker, this::newBroker, KitClock.real(), KafkaTestOptions.VISIBILITY_TIMEOUT);
    }
}
