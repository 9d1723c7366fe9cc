package io.rivulet.core;

import io.rivulet.core.internal.DefaultBroker;
import io.rivulet.core.spi.Backend;

/**
 * Creates brokers from backends. Backend modules call this from their own factories
 * ({@code MemoryBroker.create(...)}, {@code RedisBroker.create(...)}); users rarely need it.
 */
public final class Brokers {

    private Brokers() {
    }

    /**
     * Wraps a backend into a broker that adds codecs, dedup, poison handling, settle-once
     * guards, closed-state checks and metrics.
     */
    public static Broker create(Backend backend, BrokerOptions options) {
        return new DefaultBroker(backend, options);
    }
}
