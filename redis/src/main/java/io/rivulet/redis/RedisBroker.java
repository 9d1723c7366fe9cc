package io.rivulet.redis;

import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Brokers;
import io.rivulet.redis.internal.RedisBackend;

/**
 * Creates brokers on Redis: durable, at-least-once queues on Redis Streams with a consumer group,
 * delays in a sorted set moved by a Lua script, dead letters in a stream per topic.
 *
 * <p>Creating a broker does not block and does not connect yet: the connection opens on first use,
 * and an unreachable Redis, wrong credentials or a TLS mismatch fail that first operation with a
 * {@link RedisBackendException} naming the address and the option to check. Deliveries are emitted
 * on one thread per consumer (a {@code boundedElastic} worker), never on Lettuce's I/O threads.
 * {@link Broker#close()} closes the connections; the data stays in Redis.
 */
public final class RedisBroker {

    private RedisBroker() {
    }

    /** A broker on Redis with the given options and default broker options. */
    public static Broker create(RedisOptions options) {
        return create(options, BrokerOptions.defaults());
    }

    /** A broker on Redis with the given backend and broker options. */
    public static Broker create(RedisOptions options, BrokerOptions brokerOptions) {
        java.util.Objects.requireNonNull(options, "options");
        java.util.Objects.requireNonNull(brokerOptions, "brokerOptions");
        return Brokers.create(new RedisBackend(options), brokerOptions);
    }
}
