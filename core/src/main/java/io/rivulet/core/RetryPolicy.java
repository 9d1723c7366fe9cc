package io.rivulet.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Immutable retry policy of the {@link Handle} operators: how many attempts a message gets and how
 * long to wait between them.
 *
 * <p>After attempt {@code n} fails with a {@link ErrorKind#TEMPORARY temporary} error, the wait is
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, spread by {@code ±jitter} of itself
 * and capped at {@code maxBackoff}; with {@code jitter = 0} it is exact (virtual-time tests rely on
 * this). A wait no longer than {@link #inProcessLimit()} is spent in-process: the operator keeps the
 * delivery, waits on a timer of its scheduler and runs the handler again.
 * A longer wait is handed to the backend as a durable redelivery ({@code nack} with that delay), so
 * that a consumer crash cannot lose the message. Attempts count both: the delivery's
 * {@link Message#attempt()} plus the in-process retries. Once a message has had
 * {@link #maxAttempts()} attempts (or its own {@link Message#maxAttempts()}, when set) it goes to the
 * dead-letter sink with reason {@code "max attempts exhausted"}.
 *
 * <p>Build with {@link #builder()}, start from {@link #defaults()}, derive with {@link #mutate()};
 * {@link Builder#build()} validates every parameter. Instances are thread-safe.
 */
public final class RetryPolicy {

    /** Default attempt limit, as in the Go framework Rivulet is modelled on. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait after the first failed attempt. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Default cap on any wait. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    /** Default growth factor of the wait per failed attempt. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default jitter: waits spread by ±20 %. */
    public static final double DEFAULT_JITTER = 0.2;
    /** Default longest wait spent in-process; longer waits use durable redelivery. */
    public static final Duration DEFAULT_IN_PROCESS_LIMIT = Duration.ofSeconds(2);

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration inProcessLimit;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.inProcessLimit = b.inProcessLimit;
    }

    /** The default policy: 3 attempts, 500 ms doubling up to 5 min, ±20 % jitter, in-process up to 2 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never retries: the first failure dead-letters the message. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder mutate() {
        return new Builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff).maxBackoff(maxBackoff)
                .multiplier(multiplier).jitter(jitter).inProcessLimit(inProcessLimit);
    }

    /** Total attempts a message gets, the first delivery included; at least 1. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the first failed attempt. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The cap on any wait. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The growth factor of the wait per failed attempt; at least 1. */
    public double multiplier() {
        return multiplier;
    }

    /** The relative spread of each wait, from 0 (exact) to 1. */
    public double jitter() {
        return jitter;
    }

    /** The longest wait spent in-process, holding the delivery; longer waits use durable redelivery. */
    public Duration inProcessLimit() {
        return inProcessLimit;
    }

    /**
     * The attempt limit for {@code message}: its own {@link Message#maxAttempts()} when set,
     * otherwise this policy's.
     */
    public int maxAttemptsFor(Message<?> message) {
        return message.maxAttempts() > Message.UNLIMITED_ATTEMPTS ? message.maxAttempts() : maxAttempts;
    }

    /**
     * The wait, without jitter, after attempt {@code failedAttempt} (1-based) failed:
     * {@code min(maxBackoff, initialBackoff * multiplier^(failedAttempt-1))}.
     */
    public Duration baseBackoff(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be >= 1, was " + failedAttempt);
        }
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, failedAttempt - 1);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
    }

    /**
     * The wait after attempt {@code failedAttempt} failed, jittered: uniformly within
     * {@code base * (1 ± jitter)}, capped at {@link #maxBackoff()}. Exact when jitter is 0.
     */
    public Duration backoff(int failedAttempt) {
        Duration base = baseBackoff(failedAttempt);
        if (jitter == 0 || base.isZero()) {
            return base;
        }
        double spread = jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        long millis = Math.round(base.toMillis() * (1 + spread));
        return Duration.ofMillis(Math.min(maxBackoff.toMillis(), Math.max(0, millis)));
    }

    /** Whether a wait is short enough to be spent in-process rather than as a durable redelivery. */
    public boolean waitsInProcess(Duration backoff) {
        return backoff.compareTo(inProcessLimit) <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && initialBackoff.equals(p.initialBackoff)
                && maxBackoff.equals(p.maxBackoff) && Double.compare(multiplier, p.multiplier) == 0
                && Double.compare(jitter, p.jitter) == 0 && inProcessLimit.equals(p.inProcessLimit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, inProcessLimit);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter + ", inProcessLimit="
                + inProcessLimit + "}";
    }

    /** Builder for {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double multiplier = DEFAULT_MULTIPLIER;
        private double jitter = DEFAULT_JITTER;
        private Duration inProcessLimit = DEFAULT_IN_PROCESS_LIMIT;

        private Builder() {
        }

        /** Sets the total attempts, the first delivery included; at least 1 (1 = no retry). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Sets the wait after the first failed attempt; zero or positive. */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Sets the cap on any wait; at least {@code initialBackoff}. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Sets the growth factor per failed attempt; at least 1 (1 = constant backoff). */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /** Sets the relative spread of each wait, from 0 (exact) to 1. */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Sets the longest wait spent in-process; zero or positive ({@code ZERO} = always durable). */
        public Builder inProcessLimit(Duration inProcessLimit) {
            this.inProcessLimit = inProcessLimit;
            return this;
        }

        /** Validates and builds; messages name the offending parameter. */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("RetryPolicy.maxAttempts must be >= 1, was " + maxAttempts);
            }
            requireNonNegative(initialBackoff, "initialBackoff");
            requireNonNegative(maxBackoff, "maxBackoff");
            requireNonNegative(inProcessLimit, "inProcessLimit");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("RetryPolicy.maxBackoff must be >= initialBackoff ("
                        + initialBackoff + "), was " + maxBackoff);
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("RetryPolicy.multiplier must be a finite number >= 1, was "
                        + multiplier);
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("RetryPolicy.jitter must be between 0 and 1, was " + jitter);
            }
            return new RetryPolicy(this);
        }

        private static void requireNonNegative(Duration d, String name) {
            Objects.requireNonNull(d, "RetryPolicy." + name);
            if (d.isNegative()) {
                throw new IllegalArgumentException("RetryPolicy." + name + " must not be negative, was " + d);
            }
        }
    }
}
