package io.rivulet.core;

import io.rivulet.core.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable consumer options. Build with {@link #builder()}; {@link #defaults()} is
 * {@value #DEFAULT_PREFETCH} prefetch and no dedup.
 */
public final class ConsumeOptions {

    /** Default maximum of unsettled deliveries per consumer. */
    public static final int DEFAULT_PREFETCH = 256;

    private static final ConsumeOptions DEFAULTS = builder().build();

    private final int prefetch;
    private final Duration dedupTtl;

    private ConsumeOptions(Builder b) {
        this.prefetch = b.prefetch;
        this.dedupTtl = b.dedupTtl;
    }

    /** The default options. */
    public static ConsumeOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.prefetch = prefetch;
        b.dedupTtl = dedupTtl;
        return b;
    }

    /** Maximum number of unsettled deliveries this consumer holds. */
    public int prefetch() {
        return prefetch;
    }

    /**
     * Consumer-side dedup: when non-null, a message whose dedup key was acked within this TTL is
     * acked again silently and not emitted (idempotent handling across redeliveries and duplicates).
     */
    public Duration dedupTtl() {
        return dedupTtl;
    }

    /** Builder for {@link ConsumeOptions}. */
    public static final class Builder {
        private int prefetch = DEFAULT_PREFETCH;
        private Duration dedupTtl;

        private Builder() {
        }

        /** Sets the maximum number of unsettled deliveries; at least 1. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Turns on consumer-side dedup with the given TTL; {@code null} turns it off. */
        public Builder dedupTtl(Duration dedupTtl) {
            this.dedupTtl = dedupTtl;
            return this;
        }

        /** Validates and builds. */
        public ConsumeOptions build() {
            if (prefetch < 1) {
                throw new IllegalArgumentException("ConsumeOptions.prefetch must be >= 1, was " + prefetch);
            }
            if (dedupTtl != null) {
                Durations.requireMillis(dedupTtl, "ConsumeOptions.dedupTtl");
            }
            return new ConsumeOptions(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumeOptions other && prefetch == other.prefetch
                && Objects.equals(dedupTtl, other.dedupTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefetch, dedupTtl);
    }
}
