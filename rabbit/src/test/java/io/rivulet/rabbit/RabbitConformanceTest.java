package io.rivulet.rabbit;

import io.rivulet.core.Broker;
import io.rivulet.core.kit.ConformanceKit;
import io.rivulet.core.kit.KitClock;
import io.rivulet.core.kit.KitFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The whole conformance kit, unchanged, on the real RabbitMQ at 127.0.0.1:5672 in real time. */
class RabbitConformanceTest implements ConformanceKit {

    private final List<Broker> brokers = new ArrayList<>();
    private Broker broker;

    @BeforeEach
    void open() {
        broker = newBroker();
    }

    @AfterEach
    void close() {
        Set<String> topics = new LinkedHashSet<>();
        for (Broker b : brokers) {
            if (!b.isClosed()) {
                topics.addAll(RabbitTestSupport.topicsOf(b));
            }
            b.close().block(Duration.ofSeconds(10));
        }
        RabbitTestSupport.deleteTopics(topics, RabbitTestSupport.TIERS);
    }

    private Broker newBroker() {
        Broker b = RabbitTestSupport.broker(RabbitTestSupport.options().build());
        brokers.add(b);
        return b;
    }

    @Override
    public KitFixture fixture() {
        return KitFixture.of(() -> broker, this::newBroker, KitClock.real(), RabbitTestSupport.VISIBILITY);
    }
}
