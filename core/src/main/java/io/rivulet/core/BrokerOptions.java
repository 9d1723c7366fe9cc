package io.rivulet.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;

/**
 * Immutable options every broker shares, whatever its backend. Build with {@link #builder()}.
 */
public final class BrokerOptions {

    /** The largest encoded payload a broker accepts by default: 1 MiB (Kafka's default limit). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final BrokerOptions DEFAULTS = builder().build();

    private final MeterRegistry meterRegistry;
    private final String name;
    private final int maxMessageBytes;

    private BrokerOptions(Builder b) {
        this.meterRegistry = b.meterRegistry;
        this.name = b.name;
        this.maxMessageBytes = b.maxMessageBytes;
    }

    /** The defaults: Micrometer's global registry, name {@code "default"}, 1 MiB messages. */
    public static BrokerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where Rivulet's meters are registered (see the README for names and tags). */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The broker's name, used as the {@code broker} tag of its meters. */
    public String name() {
        return name;
    }

    /**
     * The largest encoded payload, in bytes, that publishing accepts; a larger one fails with
     * {@link MessageTooLargeException} and is not stored.
     */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** A builder holding a copy of these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.meterRegistry = meterRegistry;
        b.name = name;
        b.maxMessageBytes = maxMessageBytes;
        return b;
    }

    /** Builder for {@link BrokerOptions}. */
    public static final class Builder {
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private String name = "default";
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {
        }

        /** Sets the largest encoded payload publishing accepts, in bytes; at least 1. */
        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** Sets the meter registry. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "BrokerOptions.meterRegistry");
            return this;
        }

        /** Sets the broker's name; non-blank. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "BrokerOptions.name");
            return this;
        }

        /** Validates and builds. */
        public BrokerOptions build() {
            if (name.isBlank()) {
                throw new IllegalArgumentException("BrokerOptions.name must not be blank");
            }
            if (maxMessageBytes < 1) {
                throw new IllegalArgumentException("BrokerOptions.maxMessageBytes must be at least 1, was "
                        + maxMessageBytes);
            }
            return new BrokerOptions(this);
        }
    }
}
