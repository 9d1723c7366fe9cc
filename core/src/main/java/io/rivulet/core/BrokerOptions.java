package io.rivulet.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;

/**
 * Immutable options every broker shares, whatever its backend. Build with {@link #builder()}.
 */
public final class BrokerOptions {

    private static final BrokerOptions DEFAULTS = builder().build();

    private final MeterRegistry meterRegistry;
    private final String name;

    private BrokerOptions(Builder b) {
        this.meterRegistry = b.meterRegistry;
        this.name = b.name;
    }

    /** The defaults: Micrometer's global registry, name {@code "default"}. */
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

    /** Builder for {@link BrokerOptions}. */
    public static final class Builder {
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private String name = "default";

        private Builder() {
        }

        /** Sets the meter registry. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /** Sets the broker's name; non-blank. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Validates and builds. */
        public BrokerOptions build() {
            if (name.isBlank()) {
                throw new IllegalArgumentException("BrokerOptions.name must not be blank");
            }
            return new BrokerOptions(this);
        }
    }
}
