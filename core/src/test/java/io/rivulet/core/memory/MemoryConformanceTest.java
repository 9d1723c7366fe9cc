package io.rivulet.core.memory;

import io.rivulet.core.Broker;
import io.rivulet.core.kit.ConformanceKit;
import io.rivulet.core.kit.KitClock;
import io.rivulet.core.kit.KitFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The whole conformance kit on the in-memory backend, on virtual time. */
class MemoryConformanceTest implements ConformanceKit {

    private final List<Broker> brokers = new ArrayList<>();
    private VirtualTimeScheduler vts;
    private Broker broker;

    @BeforeEach
    void open() {
        vts = VirtualTimeScheduler.create();
        broker = newBroker();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(5)));
        vts.dispose();
    }

    /** The options every broker of the run gets, on top of the virtual clock. */
    MemoryOptions.Builder options() {
        return MemoryOptions.builder();
    }

    private Broker newBroker() {
        Broker b = MemoryBroker.create(options().scheduler(vts).build());
        brokers.add(b);
        return b;
    }

    @Override
    public KitFixture fixture() {
        return KitFixture.of(() -> broker, this::newBroker, KitClock.virtual(vts),
                MemoryOptions.DEFAULT_VISIBILITY_TIMEOUT);
    }
}
