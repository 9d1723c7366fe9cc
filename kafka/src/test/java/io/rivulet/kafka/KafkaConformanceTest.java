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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole conformance kit on a real Kafka broker, on the real clock. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaConformanceTest implements ConformanceKit {

    private final List<Broker> brokers = new ArrayList<>();
    private Broker broker;

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
        return new KitFixture() {
            @Override
            public Broker broker() {
                return broker;
            }

            @Override
            public Broker newBroker() {
                return KafkaConformanceTest.this.newBroker();
            }

            @Override
            public KitClock clock() {
                return KitClock.real();
            }

            @Override
            public Duration visibilityTimeout() {
                return KafkaTestOptions.VISIBILITY_TIMEOUT;
            }
        };
    }
}
