package io.rivulet.core;

import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of {@link Handle#concurrently} and {@link Handle#inKeyOrder}.
 *
 * <p>{@link #defaults()}: {@value #DEFAULT_CONCURRENCY} handlers at once, no timeout, the default
 * {@link RetryPolicy} and {@link ErrorClassifier}, the backend's dead letters, timers on
 * {@link Schedulers#parallel()}. Build with {@link #builder()}, derive with {@link #mutate()};
 * {@link Builder#build()} validates every parameter.
 */
public final class HandleOptions {

    /** Default number of handlers running at once. */
    public static final int DEFAULT_CONCURRENCY = 16;

    private static final HandleOptions DEFAULTS = builder().build();

    private final int concurrency;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final ErrorClassifier errorClassifier;
    private final DeadLetterSink<?> deadLetterSink;
    private final Scheduler scheduler;

    private HandleOptions(Builder b) {
        this.concurrency = b.concurrency;
        this.timeout = b.timeout;
        this.retryPolicy = b.retryPolicy;
        this.errorClassifier = b.errorClassifier;
        this.deadLetterSink = b.deadLetterSink;
        this.scheduler = b.scheduler;
    }

    /** The default options. */
    public static HandleOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        return new Builder().concurrency(concurrency).timeout(timeout).retryPolicy(retryPolicy)
                .errorClassifier(errorClassifier).deadLetterSink(deadLetterSink).scheduler(scheduler);
    }

    /**
     * Most handlers running at once; also the number of key lanes of {@link Handle#inKeyOrder}. A
     * delivery waiting for an in-process retry holds its slot.
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * How long one handler attempt may run before it is cancelled and counted as a temporary
     * failure, or {@code null} for no limit. A message's own {@link Message#timeout()} wins.
     */
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

    /** The scheduler of every timer (timeouts, in-process backoff) and of handler timing. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Builder for {@link HandleOptions}; not thread-safe. */
    public static final class Builder {
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration timeout;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ErrorClassifier errorClassifier = ErrorClassifier.defaults();
        private DeadLetterSink<?> deadLetterSink = DeadLetterSink.backend();
        private Scheduler scheduler = Schedulers.parallel();

        private Builder() {
        }

        /** Sets the most handlers running at once; at least 1. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Sets the per-attempt handler timeout; positive, or {@code null} for none. */
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
        public HandleOptions build() {
            if (concurrency < 1) {
                throw new IllegalArgumentException("HandleOptions.concurrency must be >= 1, was " + concurrency);
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("HandleOptions.timeout must be positive or null, was " + timeout);
            }
            Objects.requireNonNull(retryPolicy, "HandleOptions.retryPolicy");
            Objects.requireNonNull(errorClassifier, "HandleOptions.errorClassifier");
            Objects.requireNonNull(deadLetterSink, "HandleOptions.deadLetterSink");
            Objects.requireNonNull(scheduler, "HandleOptions.scheduler");
            return new HandleOptions(this);
        }
    }
}
