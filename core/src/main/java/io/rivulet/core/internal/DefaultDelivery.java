package io.rivulet.core.internal;

import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.publisher.Mono;

/**
 * The delivery users see: decoded message over a backend delivery, with the settle-once guard and
 * metrics. Rivulet's operators also use {@link #redeliver} (to carry attempts used in-process)
 * and {@link #recordHandler}.
 *
 * @param <T> the payload type
 */
public final class DefaultDelivery<T> implements Delivery<T> {

    private final Message<T> message;
    private final BackendDelivery raw;
    private final BrokerMetrics.TopicMeters meters;
    private final Mono<Void> beforeAck;
    // A field updater rather than an AtomicBoolean: one object less per delivery.
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<DefaultDelivery> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(DefaultDelivery.class, "settled");
    private volatile int settled;

    DefaultDelivery(Message<T> message, BackendDelivery raw, BrokerMetrics.TopicMeters meters, Mono<Void> beforeAck) {
        this.message = message;
        this.raw = raw;
        this.meters = meters;
        this.beforeAck = beforeAck;
    }

    @Override
    public Message<T> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return Mono.defer(() -> {
            if (!SETTLED.compareAndSet(this, 0, 1)) {
                return Mono.empty();
            }
            Mono<Void> ack = raw.ack().doOnSuccess(v -> meters.acked().increment());
            return beforeAck == null ? ack : beforeAck.then(ack);
        });
    }

    @Override
    public Mono<Void> nack(Duration delay) {
        return redeliver(delay, message.attempt() + 1);
    }

    /** Returns the message for redelivery after {@code delay} as attempt {@code nextAttempt}. */
    public Mono<Void> redeliver(Duration delay, int nextAttempt) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            return Mono.error(new IllegalArgumentException("nack delay must not be negative, was " + delay));
        }
        return Mono.defer(() -> {
            if (!SETTLED.compareAndSet(this, 0, 1)) {
                return Mono.empty();
            }
            return raw.nack(delay, nextAttempt).doOnSuccess(v -> meters.nacked().increment());
        });
    }

    @Override
    public Mono<Void> deadLetter(String reason, Throwable error) {
        return deadLetter(reason, error, message.attempt());
    }

    /**
     * Dead-letters the message recording {@code attempts} (its delivery attempt plus the retries an
     * operator made in-process).
     */
    public Mono<Void> deadLetter(String reason, Throwable error, int attempts) {
        Objects.requireNonNull(reason, "reason");
        DeadLetterRecord record = DeadLetterRecord.of(reason, error, Math.max(1, attempts));
        return Mono.defer(() -> {
            if (!SETTLED.compareAndSet(this, 0, 1)) {
                return Mono.empty();
            }
            return raw.deadLetter(record)
                    .doOnSuccess(v -> meters.deadLettered().increment());
        });
    }

    /**
     * Returns the message unchanged (same attempt, not counted as a retry) because it was taken but
     * never handled, e.g. by a worker that stopped.
     */
    public Mono<Void> release() {
        return Mono.defer(() -> SETTLED.compareAndSet(this, 0, 1) ? raw.release() : Mono.empty());
    }

    /**
     * Removes the message after a custom dead-letter sink took it: counted as failed and
     * dead-lettered, not acked.
     */
    public Mono<Void> drop() {
        return Mono.defer(() -> SETTLED.compareAndSet(this, 0, 1)
                ? raw.drop().doOnSuccess(v -> meters.deadLettered().increment())
                : Mono.empty());
    }

    @Override
    public boolean isSettled() {
        return settled != 0;
    }

    /** Records one handler run of this delivery in the topic's handler timer. */
    public void recordHandler(Duration took, boolean success) {
        meters.handler(took, success);
    }

    @Override
    public String toString() {
        return "Delivery{" + message + ", settled=" + isSettled() + "}";
    }
}
