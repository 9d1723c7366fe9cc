package io.rivulet.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.spi.Backend;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;

/**
 * Rivulet's Micrometer meters for one broker; meters per topic are created once and cached so the
 * hot path is a map lookup and an increment. {@link #close()} removes them all from the registry,
 * so a closed broker is neither reported nor kept reachable by the registry's gauges.
 */
public final class BrokerMetrics {

    /** Counter: messages the backend accepted. */
    public static final String PUBLISHED = "rivulet.messages.published";
    /** Counter: deliveries emitted to consumers (poison ones excluded). */
    public static final String CONSUMED = "rivulet.messages.consumed";
    /** Counter: deliveries acknowledged. */
    public static final String ACKED = "rivulet.messages.acked";
    /** Counter: deliveries returned for redelivery. */
    public static final String NACKED = "rivulet.messages.nacked";
    /** Counter: deliveries moved to the dead letters (poison included). */
    public static final String DEAD_LETTERED = "rivulet.messages.dead_lettered";
    /** Timer: handler run time in Rivulet's operators, tagged {@code outcome=success|failure}. */
    public static final String HANDLER_DURATION = "rivulet.handler.duration";
    /** Gauge: ready messages of a topic (may lag on remote backends). */
    public static final String QUEUE_DEPTH = "rivulet.queue.depth";
    /** Gauge: 1 while the broker is open, 0 after close. */
    public static final String BROKER_UP = "rivulet.broker.up";

    private final MeterRegistry registry;
    private final Tags brokerTags;
    private final Backend backend;
    private final ConcurrentMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    // Guards registering against close, so no meter is registered after close removed them.
    private final Object lifecycle = new Object();
    private boolean closed;

    BrokerMetrics(MeterRegistry registry, String brokerName, Backend backend, BooleanSupplier open) {
        this.registry = registry;
        this.backend = backend;
        this.brokerTags = Tags.of("broker", brokerName, "backend", backend.name());
        track(Gauge.builder(BROKER_UP, () -> open.getAsBoolean() ? 1 : 0)
                .tags(brokerTags)
                .description("1 while the broker is open")
                .register(registry));
    }

    // Called while constructing or under lifecycle: meters made after close are not the registry's.
    private <M extends Meter> M track(M meter) {
        if (!closed) {
            registered.add(meter);
        }
        return meter;
    }

    /** Removes every meter of this broker from the registry. */
    void close() {
        synchronized (lifecycle) {
            closed = true;
        }
        for (Meter m; (m = registered.poll()) != null; ) {
            registry.remove(m);
        }
    }

    /**
     * The meters of one topic, created on first use. After {@link #close()} they are created on a
     * throwaway registry: a queue asked of a closed broker must not register meters that nothing
     * would remove.
     */
    public TopicMeters topic(String topic) {
        TopicMeters m = topics.get(topic);
        if (m != null) {
            return m;
        }
        synchronized (lifecycle) {
            if (closed) {
                return create(new SimpleMeterRegistry(), topic);
            }
            return topics.computeIfAbsent(topic, t -> create(registry, t));
        }
    }

    private TopicMeters create(MeterRegistry registry, String topic) {
        Tags tags = brokerTags.and("topic", topic);
        track(Gauge.builder(QUEUE_DEPTH, () -> backend.readyHint(topic))
                .tags(tags)
                .description("Ready messages")
                .register(registry));
        return new TopicMeters(
                counter(registry, PUBLISHED, tags), counter(registry, CONSUMED, tags), counter(registry, ACKED, tags),
                counter(registry, NACKED, tags), counter(registry, DEAD_LETTERED, tags),
                timer(registry, tags.and("outcome", "success")), timer(registry, tags.and("outcome", "failure")));
    }

    private Counter counter(MeterRegistry registry, String name, Tags tags) {
        return track(Counter.builder(name).tags(tags).register(registry));
    }

    private Timer timer(MeterRegistry registry, Tags tags) {
        return track(Timer.builder(HANDLER_DURATION).tags(tags)
                .publishPercentileHistogram()
                .description("Handler run time")
                .register(registry));
    }

    /** Meters of one topic. */
    public record TopicMeters(Counter published, Counter consumed, Counter acked, Counter nacked,
                              Counter deadLettered, Timer handlerSuccess, Timer handlerFailure) {

        /** Records one handler run. */
        public void handler(Duration took, boolean success) {
            (success ? handlerSuccess : handlerFailure).record(took);
        }
    }
}
