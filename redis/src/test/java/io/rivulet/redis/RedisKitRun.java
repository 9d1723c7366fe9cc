package io.rivulet.redis;

import io.rivulet.core.Broker;
import io.rivulet.core.kit.KitClock;
import io.rivulet.core.kit.KitFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of a conformance kit run on the real clock, on the Redis that {@link #options()}
 * points at (the shared one, a TLS server, a cluster). Subclasses implement {@link
 * io.rivulet.core.kit.ConformanceKit} (or some of its contracts), start their Redis in a static
 * {@code @BeforeAll} and call {@link #warmUp} there.
 */
abstract class RedisKitRun {

    /**
     * Short, so the crash tests are quick, yet above the longest time a delivery of the kit waits
     * in a consumer's prefetch on a loaded machine (600 key-ordered messages of 20 ms, 4 at once):
     * past it, a live consumer's delivery is claimed again, which is at-least-once but not what the
     * kit counts.
     */
    static final Duration VISIBILITY = Duration.ofSeconds(5);
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();
    private Broker broker;

    /** Options of every broker of the kit (the visibility timeout is set on top). */
    abstract RedisOptions.Builder options();

    /**
     * One round trip before the kit runs: class loading, the first connection and loading the
     * scripts take up to a second on a cold, loaded JVM, and the kit's first timed test (e.g.
     * {@code messagePublishedAtAnInstantArrivesThen}, which takes its instant before publishing)
     * must not pay for them.
     */
    static void warmUp(RedisOptions options) {
        Broker b = RedisBroker.create(options);
        try {
            io.rivulet.core.Queue<String> q = b.queue("kit.warm-up", String.class);
            q.publish("warm").block(Duration.ofSeconds(30));
            q.consume().concatMap(d -> d.ack().thenReturn(d)).next().block(Duration.ofSeconds(30));
            q.stats().block(Duration.ofSeconds(30));
        } finally {
            b.close().block(Duration.ofSeconds(30));
        }
    }

    @BeforeEach
    void open() {
        broker = newBroker();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(30)));
    }

    private Broker newBroker() {
        Broker b = RedisBroker.create(options().visibilityTimeout(VISIBILITY).build());
        brokers.add(b);
        return b;
    }

    public KitFixture fixture() {
        return KitFixture.of(() -> broker, this::newBroker, KitClock.real(), VISIBILITY);
    }
}
