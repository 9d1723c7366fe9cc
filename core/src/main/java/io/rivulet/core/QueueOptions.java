package io.rivulet.core;

import io.rivulet.core.internal.Durations;
import java.time.Duration;

/**
 * Immutable per-queue producer options. Build with {@link #builder()}.
 */
public final class QueueOptions {

    private static final QueueOptions DEFAULTS = builder().build();

    private final Duration dedupTtl;

    private QueueOptions(Builder b) {
        this.dedupTtl = b.dedupTtl;
    }

    /** No producer-side dedup. */
    public static QueueOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Producer-side dedup: when non-null, publishing a message whose {@link Message#dedupKey()}
     * was published within this TTL is dropped and reported as {@link PublishResult#duplicate()}.
     */
    public Duration dedupTtl() {
        return dedupTtl;
    }

    /** Builder for {@link QueueOptions}. */
    public static final class Builder {
        private Duration dedupTtl;

        private Builder() {
        }

        /** Turns on producer-side dedup with the given TTL; {@code null} turns it off. */
        public Builder dedupTtl(Duration dedupTtl) {
            this.dedupTtl = dedupTtl;
            return this;
        }

        /** Validates and builds. */
        public QueueOptions build() {
            if (dedupTtl != null) {
                Durations.requireMillis(dedupTtl, "QueueOptions.dedupTtl");
            }
            return new QueueOptions(this);
        }
    }
}
