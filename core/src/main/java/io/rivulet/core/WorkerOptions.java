package io.rivulet.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Worker} consumes and handles: what to fetch, how to handle, how long a graceful stop
 * may take. Immutable; build with {@link #builder()}, start from {@link #defaults()} or
 * {@link #mutate()} a copy.
 */
public final class WorkerOptions {

    /** How long {@link Worker#stop()} lets in-flight work finish before returning it: 30 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The first wait before a worker whose consuming failed subscribes again: 1 s. */
    public static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(1);

    /** The longest wait between two restarts of a failing worker: 30 s. */
    public static final Duration DEFAULT_MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    private static final WorkerOptions DEFAULTS = builder().build();

    private final String name;
    private final ConsumeOptions consumeOptions;
    private final HandleOptions handleOptions;
    private final boolean keyOrdered;
    private final Duration stopTimeout;
    private final boolean restartOnError;
    private final Duration restartBackoff;
    private final Duration maxRestartBackoff;

    private WorkerOptions(Builder b) {
        this.name = b.name;
        this.consumeOptions = b.consumeOptions;
        this.handleOptions = b.handleOptions;
        this.keyOrdered = b.keyOrdered;
        this.stopTimeout = b.stopTimeout;
        this.restartOnError = b.restartOnError;
        this.restartBackoff = b.restartBackoff;
        this.maxRestartBackoff = b.maxRestartBackoff;
    }

    /**
     * The defaults: named after the topic, default consume and handle options, unordered, 30 s stop,
     * restarts after consuming errors with a backoff from 1 s to 30 s.
     */
    public static WorkerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding a copy of these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.name = name;
        b.consumeOptions = consumeOptions;
        b.handleOptions = handleOptions;
        b.keyOrdered = keyOrdered;
        b.stopTimeout = stopTimeout;
        b.restartOnError = restartOnError;
        b.restartBackoff = restartBackoff;
        b.maxRestartBackoff = maxRestartBackoff;
        return b;
    }

    /** The worker's name for logs and stats, or {@code null} to use the topic. */
    public String name() {
        return name;
    }

    /** How the worker consumes (prefetch, consumer-side dedup). */
    public ConsumeOptions consumeOptions() {
        return consumeOptions;
    }

    /** How the worker handles: concurrency, timeout, retry policy, error classifier, dead-letter sink, scheduler. */
    public HandleOptions handleOptions() {
        return handleOptions;
    }

    /** Whether messages of one key are handled one at a time in order ({@link Handle#inKeyOrder}). */
    public boolean keyOrdered() {
        return keyOrdered;
    }

    /** How long a graceful stop waits for in-flight work before cancelling it and returning it to the queue. */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * Whether the worker subscribes to its queue again when consuming fails (the broker unreachable,
     * credentials refused, a connection lost for good), after {@link #restartBackoff()} doubling up
     * to {@link #maxRestartBackoff()}. Deliveries already taken keep being handled meanwhile. A
     * closed broker never restarts a worker. When off, the worker ends {@link Worker.Status#FAILED}.
     */
    public boolean restartOnError() {
        return restartOnError;
    }

    /** The first wait before a restart; the wait doubles on each failure in a row (with up to 20 % jitter). */
    public Duration restartBackoff() {
        return restartBackoff;
    }

    /** The longest wait between two restarts. */
    public Duration maxRestartBackoff() {
        return maxRestartBackoff;
    }

    /** Builds {@link WorkerOptions}; {@link #build()} validates. */
    public static final class Builder {

        private String name;
        private ConsumeOptions consumeOptions = ConsumeOptions.defaults();
        private HandleOptions handleOptions = HandleOptions.defaults();
        private boolean keyOrdered;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private boolean restartOnError = true;
        private Duration restartBackoff = DEFAULT_RESTART_BACKOFF;
        private Duration maxRestartBackoff = DEFAULT_MAX_RESTART_BACKOFF;

        private Builder() {
        }

        /** Names the worker (non-blank); {@code null} names it after its topic. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets how the worker consumes. */
        public Builder consumeOptions(ConsumeOptions consumeOptions) {
            this.consumeOptions = Objects.requireNonNull(consumeOptions, "consumeOptions");
            return this;
        }

        /** Sets how the worker handles. */
        public Builder handleOptions(HandleOptions handleOptions) {
            this.handleOptions = Objects.requireNonNull(handleOptions, "handleOptions");
            return this;
        }

        /** Shorthand for {@code handleOptions(handleOptions().mutate().concurrency(n).build())}. */
        public Builder concurrency(int concurrency) {
            this.handleOptions = handleOptions.mutate().concurrency(concurrency).build();
            return this;
        }

        /** Handles messages of one key one at a time, in order. */
        public Builder keyOrdered(boolean keyOrdered) {
            this.keyOrdered = keyOrdered;
            return this;
        }

        /** Sets how long a graceful stop waits for in-flight work; not negative. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
            return this;
        }

        /** Whether to subscribe again after a consuming error (on by default); off ends the worker FAILED. */
        public Builder restartOnError(boolean restartOnError) {
            this.restartOnError = restartOnError;
            return this;
        }

        /** Sets the first and the longest wait between restarts; both positive, {@code first <= max}. */
        public Builder restartBackoff(Duration first, Duration max) {
            this.restartBackoff = Objects.requireNonNull(first, "first");
            this.maxRestartBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Validates and builds. */
        public WorkerOptions build() {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException(
                        "WorkerOptions.name must not be blank (null names the worker after its topic)");
            }
            if (stopTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "WorkerOptions.stopTimeout must not be negative, was " + stopTimeout);
            }
            if (restartBackoff.isNegative() || restartBackoff.isZero() || maxRestartBackoff.compareTo(restartBackoff) < 0) {
                throw new IllegalArgumentException("WorkerOptions.restartBackoff must be positive and at most the "
                        + "max restart backoff, was " + restartBackoff + " (max " + maxRestartBackoff + ")");
            }
            return new WorkerOptions(this);
        }
    }
}
