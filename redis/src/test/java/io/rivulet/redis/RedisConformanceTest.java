package io.rivulet.redis;

import io.rivulet.core.Broker;
import io.rivulet.core.kit.ConformanceKit;
import io.rivulet.core.kit.KitClock;
import io.rivulet.core.kit.KitFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The whole conformance kit, unchanged, on the real Redis at 127.0.0.1:6379 on the real clock. */
class RedisConformanceTest implements ConformanceKit {

    /**
     * Short, so the crash tests are quick, yet above the longest time a delivery of the kit waits
     * in a consumer's prefetch on a loaded machine (600 key-ordered messages of 20 ms, 4 at once):
     * past it, a live consumer's delivery is claimed again, which is at-least-once but not what the
     * kit counts.
     */
    private static final Duration VISIBILITY = Duration.ofSeconds(5);
    private static TestRedis redis;
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();
    private Broker broker;

    @BeforeAll
    static void connect() {
        redis = new TestRedis();
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @BeforeEach
    void open() {
        broker = newBroker();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(10)));
    }

    private Broker newBroker() {
        Broker b = RedisBroker.create(redis.options().visibilityTimeout(VISIBILITY).build());
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
                return RedisConformanceTest.this.newBroker();
            }

            @Override
            public KitClock clock() {
                return KitClock.real();
            }

            @Override
            public Duration visibilityTimeout() {
                return VISIBILITY;
            }
        };
    }
}
