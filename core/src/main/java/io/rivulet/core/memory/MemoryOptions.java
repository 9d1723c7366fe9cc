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
    /** Default number of ready messages per queue kept on the heap as objects. */
    public static final int DEFAULT_HEAP_BACKLOG = 65_536;

    private static final MemoryOptions DEFAULTS = builder().build();

    private final Scheduler scheduler;
    private final int maxQueueSize;
    private final Overflow overflow;
    private final Duration visibilityTimeout;
    private final int heapBacklog;

    private MemoryOptions(Builder b) {
        this.scheduler = b.scheduler;
        this.maxQueueSize = b.maxQueueSize;
        this.overflow = b.overflow;
        this.visibilityTimeout = b.visibilityTimeout;
        this.heapBacklog = b.heapBacklog;
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
                .visibilityTimeout(visibilityTimeout).heapBacklog(heapBacklog);
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

    /**
     * How many ready messages a queue keeps on the heap as objects. The rest of its backlog is kept
     * serialized in direct memory, off the heap, and read back in order when its turn comes, so the
     * heap a backlog takes stays bounded whatever its length. Delayed and in-flight messages stay
     * on the heap.
     */
    public int heapBacklog() {
        return heapBacklog;
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
        private int heapBacklog = DEFAULT_HEAP_BACKLOG;

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

        /**
         * Sets how many ready messages a queue keeps on the heap as objects; at least 0. Beyond
         * that the backlog is kept serialized off the heap, in direct memory (bounded by
         * {@code -XX:MaxDirectMemorySize}; when that runs out, serialized on the heap). Reading a
         * message back costs about what decoding it costs; {@link Integer#MAX_VALUE} keeps every
         * message on the heap.
         */
        public Builder heapBacklog(int heapBacklog) {
            this.heapBacklog = heapBacklog;
            return this;
        }

        /** Validates and builds. */
        public MemoryOptions build() {
            if (maxQueueSize < 1) {
                throw new IllegalArgumentException("MemoryOptions.maxQueueSize must be >= 1, was " + maxQueueSize);
            }
            if (heapBacklog < 0) {
                throw new IllegalArgumentException("MemoryOptions.heapBacklog must be >= 0, was " + heapBacklog);
            }
            Durations.requireMillis(visibilityTimeout, "MemoryOptions.visibilityTimeout");
            return new MemoryOptions(this);
        }
    }
}
