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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Rivulet's Micrometer meters for one broker; meters per topic are created once and cached so the
 * hot path is a map lookup and an increment. When the last open broker of a name closes, its meters
 * are removed from the registry, so a closed broker is neither reported nor kept reachable by the
 * registry's gauges. Brokers of the same name and backend on one registry share meters (Micrometer
 * hands out one meter per id), which is logged as a warning: give each a distinct name.
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
    // Open brokers per registry and meter identity, so closing one keeps the meters of another.
    private static final ConcurrentMap<Sharing, Integer> OPEN = new ConcurrentHashMap<>();
    private static final Logger LOG = Loggers.getLogger(BrokerMetrics.class);

    private final Sharing sharing;
    // Guards registering against close, so no meter is registered after close removed them.
    private final Object lifecycle = new Object();
    private boolean closed;

    BrokerMetrics(MeterRegistry registry, String brokerName, Backend backend, BooleanSupplier open) {
        this.registry = registry;
        this.backend = backend;
        this.brokerTags = Tags.of("broker", brokerName, "backend", backend.name());
        this.sharing = new Sharing(registry, brokerTags);
        if (OPEN.merge(sharing, 1, Integer::sum) > 1) {
            LOG.warn("Another open {} broker is named '{}' on the same meter registry: they share meters, "
                    + "and gauges report the first one. Give each broker its own BrokerOptions.name.",
                    backend.name(), brokerName);
        }
        Gauge.builder(BROKER_UP, () -> open.getAsBoolean() ? 1 : 0)
                .tags(brokerTags)
                .description("1 while the broker is open")
                .register(registry);
    }

    /**
     * Stops registering; if no other open broker shares this one's meters, removes every meter of
     * this broker's name and backend from the registry.
     */
    void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean last = OPEN.compute(sharing, (k, n) -> n == null || n <= 1 ? null : n - 1) == null;
        if (!last) {
            return;
        }
        String broker = brokerTags.stream().filter(t -> t.getKey().equals("broker")).findFirst()
                .orElseThrow().getValue();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            if (id.getName().startsWith("rivulet.") && broker.equals(id.getTag("broker"))
                    && backend.name().equals(id.getTag("backend"))) {
                registry.remove(m);
            }
        }
    }

    /** Which meters brokers share: same registry (by identity) and same broker tags. */
    private record Sharing(MeterRegistry registry, Tags tags) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sharing other && other.registry == registry && other.tags.equals(tags);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(registry) * 31 + tags.hashCode();
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
        Gauge.builder(QUEUE_DEPTH, () -> backend.readyHint(topic))
                .tags(tags)
                .description("Ready messages")
                .register(registry);
        return new TopicMeters(
                counter(registry, PUBLISHED, tags), counter(registry, CONSUMED, tags), counter(registry, ACKED, tags),
                counter(registry, NACKED, tags), counter(registry, DEAD_LETTERED, tags),
                timer(registry, tags.and("outcome", "success")), timer(registry, tags.and("outcome", "failure")));
    }

    private Counter counter(MeterRegistry registry, String name, Tags tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    private Timer timer(MeterRegistry registry, Tags tags) {
        return Timer.builder(HANDLER_DURATION).tags(tags)
                .publishPercentileHistogram()
                .description("Handler run time")
                .register(registry);
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
