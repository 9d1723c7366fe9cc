package io.rivulet.core.memory;

import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Brokers;
import io.rivulet.core.internal.memory.MemoryBackend;

/**
 * Creates in-memory brokers: in-process, no services, the reference implementation of every
 * Rivulet semantic. Messages live as long as the broker; nothing survives the JVM.
 */
public final class MemoryBroker {

    private MemoryBroker() {
    }

    /** An in-memory broker with default options. */
    public static Broker create() {
        return create(MemoryOptions.defaults(), BrokerOptions.defaults());
    }

    /** An in-memory broker with the given options. */
    public static Broker create(MemoryOptions options) {
        return create(options, BrokerOptions.defaults());
    }

    /** An in-memory broker with the given backend and broker options. */
    public static Broker create(MemoryOptions options, BrokerOptions brokerOptions) {
        return Brokers.create(new MemoryBackend(options), brokerOptions);
    }
}
