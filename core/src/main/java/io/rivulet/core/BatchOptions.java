package io.rivulet.core;

import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of {@link Handle#batched}.
 *
 * <p>{@link #defaults()}: batches of up to {@value #DEFAULT_MAX_SIZE} messages or what arrived within
 * 1 s (as in the Go framework Rivulet is modelled on), one batch handled at a time, no timeout, the
 * default {@link RetryPolicy} and {@link ErrorClassifier}, the backend's dead letters, timers on
 * {@link Schedulers#parallel()}. Build with {@link #builder()}, derive with {@link #mutate()};
 * {@link Builder#build()} validates every parameter.
 */
public final class BatchOptions {

    /** Default largest batch. */
    public static final int DEFAULT_MAX_SIZE = 100;
    /** Default longest wait for a batch to fill, from its first message. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);
    /** Default number of batches handled at once. */
    public static final int DEFAULT_CONCURRENCY = 1;

    private static final BatchOptions DEFAULTS = builder().build();

    private final int maxSize;
    private final Duration maxWait;
    private final int concurrency;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final ErrorClassifier errorClassifier;
    private final DeadLetterSink<?> deadLetterSink;
    private final Scheduler scheduler;

    private BatchOptions(Builder b) {
        this.maxSize = b.maxSize;
        this.maxWait = b.maxWait;
        this.concurrency = b.concurrency;
        this.timeout = b.timeout;
        this.retryPolicy = b.retryPolicy;
        this.errorClassifier = b.errorClassifier;
        this.deadLetterSink = b.deadLetterSink;
        this.scheduler = b.scheduler;
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
        return new Builder().maxSize(maxSize).maxWait(maxWait).concurrency(concurrency).timeout(timeout)
                .retryPolicy(retryPolicy).errorClassifier(errorClassifier).deadLetterSink(deadLetterSink)
                .scheduler(scheduler);
    }

    /** The largest batch; a batch closes as soon as it has this many messages. */
    public int maxSize() {
        return maxSize;
    }

    /** The longest a batch stays open after its first message arrived. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Most batches handled at once. */
    public int concurrency() {
        return concurrency;
    }

    /** How long one batch handler call may run before it is cancelled and fails the batch, or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    /** How failures are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** How failures are classified. */
    public ErrorClassifier errorClassifier() {
        return errorClassifier;
    }

    /** Where messages that failed for good go; it must accept the payload type of the deliveries handled. */
    public DeadLetterSink<?> deadLetterSink() {
        return deadLetterSink;
    }

    /** The scheduler of every timer (batch window, timeouts, in-process backoff). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Builder for {@link BatchOptions}; not thread-safe. */
    public static final class Builder {
        private int maxSize = DEFAULT_MAX_SIZE;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration timeout;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ErrorClassifier errorClassifier = ErrorClassifier.defaults();
        private DeadLetterSink<?> deadLetterSink = DeadLetterSink.backend();
        private Scheduler scheduler = Schedulers.parallel();

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

        /** Sets the most batches handled at once; at least 1. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Sets the per-call handler timeout; positive, or {@code null} for none. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Sets the retry policy. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** Sets the error classifier. */
        public Builder errorClassifier(ErrorClassifier errorClassifier) {
            this.errorClassifier = errorClassifier;
            return this;
        }

        /** Sets the dead-letter sink (see {@link DeadLetterSink} for who settles the delivery). */
        public Builder deadLetterSink(DeadLetterSink<?> deadLetterSink) {
            this.deadLetterSink = deadLetterSink;
            return this;
        }

        /** Sets the scheduler for timers; use a virtual-time one in tests. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
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
            if (concurrency < 1) {
                throw new IllegalArgumentException("BatchOptions.concurrency must be >= 1, was " + concurrency);
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("BatchOptions.timeout must be positive or null, was " + timeout);
            }
            Objects.requireNonNull(retryPolicy, "BatchOptions.retryPolicy");
            Objects.requireNonNull(errorClassifier, "BatchOptions.errorClassifier");
            Objects.requireNonNull(deadLetterSink, "BatchOptions.deadLetterSink");
            Objects.requireNonNull(scheduler, "BatchOptions.scheduler");
            return new BatchOptions(this);
        }
    }
}
