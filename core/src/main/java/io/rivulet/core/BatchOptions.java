package io.rivulet.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of {@link Handle#batched}: the batch window, and the {@link HandleOptions} that
 * say how each batch is handled — its {@link HandleOptions#concurrency() concurrency} is the number
 * of batches handled at once, its timeout applies to one batch handler call, and its retry policy,
 * error classifier, dead-letter sink and scheduler work as for single messages.
 *
 * <p>{@link #defaults()}: batches of up to {@value #DEFAULT_MAX_SIZE} messages or what arrived within
 * 1 s (as in the Go framework Rivulet is modelled on), one batch handled at a time, otherwise
 * {@link HandleOptions#defaults()}. Build with {@link #builder()}, derive with {@link #mutate()};
 * {@link Builder#build()} validates every parameter.
 */
public final class BatchOptions {

    /** Default largest batch. */
    public static final int DEFAULT_MAX_SIZE = 100;
    /** Default longest wait for a batch to fill, from its first message. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);
    /** Default number of batches handled at once. */
    public static final int DEFAULT_CONCURRENCY = 1;

    private static final HandleOptions DEFAULT_HANDLING =
            HandleOptions.builder().concurrency(DEFAULT_CONCURRENCY).build();
    private static final BatchOptions DEFAULTS = builder().build();

    private final int maxSize;
    private final Duration maxWait;
    private final HandleOptions handleOptions;

    private BatchOptions(Builder b) {
        this.maxSize = b.maxSize;
        this.maxWait = b.maxWait;
        this.handleOptions = b.handleOptions;
    }

    /** The default options. */
    public static BatchOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        return new Builder().maxSize(maxSize).maxWait(maxWait).handleOptions(handleOptions);
    }

    /** The largest batch; a batch closes as soon as it has this many messages. */
    public int maxSize() {
        return maxSize;
    }

    /** The longest a batch stays open after its first message arrived. */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * How batches are handled: concurrency is the most batches at once, timeout bounds one handler
     * call, and the scheduler also runs the batch window's timer.
     */
    public HandleOptions handleOptions() {
        return handleOptions;
    }

    /** Builder for {@link BatchOptions}; not thread-safe. */
    public static final class Builder {
        private int maxSize = DEFAULT_MAX_SIZE;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private HandleOptions handleOptions = DEFAULT_HANDLING;

        private Builder() {
        }

        /** Sets the largest batch; at least 1. */
        public Builder maxSize(int maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /** Sets the longest wait for a batch to fill; positive. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        /** Sets how batches are handled (default: {@link HandleOptions#defaults()} with concurrency 1). */
        public Builder handleOptions(HandleOptions handleOptions) {
            this.handleOptions = handleOptions;
            return this;
        }

        /** Validates and builds; messages name the offending parameter. */
        public BatchOptions build() {
            if (maxSize < 1) {
                throw new IllegalArgumentException("BatchOptions.maxSize must be >= 1, was " + maxSize);
            }
            Objects.requireNonNull(maxWait, "BatchOptions.maxWait");
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("BatchOptions.maxWait must be positive, was " + maxWait);
            }
            Objects.requireNonNull(handleOptions, "BatchOptions.handleOptions");
            return new BatchOptions(this);
        }
    }
}
