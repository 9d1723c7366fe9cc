package io.rivulet.core.memory;

import io.rivulet.core.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of the in-memory backend. Build with {@link #builder()}.
 */
public final class MemoryOptions {

    /** Default bound of ready plus delayed messages per queue. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 1_000_000;
    /** Default time an unsettled delivery stays with its consumer before it comes back. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private static final MemoryOptions DEFAULTS = builder().build();

    private final Scheduler scheduler;
    private final int maxQueueSize;
    private final Overflow overflow;
    private final Duration visibilityTimeout;

    private MemoryOptions(Builder b) {
        this.scheduler = b.scheduler;
        this.maxQueueSize = b.maxQueueSize;
        this.overflow = b.overflow;
        this.visibilityTimeout = b.visibilityTimeout;
    }

    /** The defaults. */
    public static MemoryOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        return new Builder().scheduler(scheduler).maxQueueSize(maxQueueSize).overflow(overflow)
                .visibilityTimeout(visibilityTimeout);
    }

    /** Clock and timers (delays, visibility timeouts, dedup TTLs); a {@code VirtualTimeScheduler} in tests. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Maximum ready plus delayed messages per queue. */
    public int maxQueueSize() {
        return maxQueueSize;
    }

    /** What publishing into a full queue does. */
    public Overflow overflow() {
        return overflow;
    }

    /** How long an unsettled delivery stays with its consumer before it is redelivered. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** What publishing into a full queue does. */
    public enum Overflow {
        /** The publish signals {@link io.rivulet.core.QueueFullException} at once. */
        FAIL,
        /** The publish completes only once there is room (consumers took messages, or the queue was cleared). */
        BACKPRESSURE
    }

    /** Builder for {@link MemoryOptions}. */
    public static final class Builder {
        private Scheduler scheduler = Schedulers.parallel();
        private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;
        private Overflow overflow = Overflow.FAIL;
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;

        private Builder() {
        }

        /** Sets the scheduler for the clock and timers. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "MemoryOptions.scheduler");
            return this;
        }

        /** Sets the bound of ready plus delayed messages per queue; at least 1. */
        public Builder maxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
            return this;
        }

        /** Sets what publishing into a full queue does. */
        public Builder overflow(Overflow overflow) {
            this.overflow = Objects.requireNonNull(overflow, "MemoryOptions.overflow");
            return this;
        }

        /** Sets how long an unsettled delivery stays with its consumer; positive. */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = Objects.requireNonNull(visibilityTimeout, "MemoryOptions.visibilityTimeout");
            return this;
        }

        /** Validates and builds. */
        public MemoryOptions build() {
            if (maxQueueSize < 1) {
                throw new IllegalArgumentException("MemoryOptions.maxQueueSize must be >= 1, was " + maxQueueSize);
            }
            Durations.requireMillis(visibilityTimeout, "MemoryOptions.visibilityTimeout");
            return new MemoryOptions(this);
        }
    }
}
