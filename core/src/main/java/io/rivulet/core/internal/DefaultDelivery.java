package io.rivulet.core.internal;

import io.micrometer.core.instrument.Counter;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

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
        return new Settlement(meters.acked()) {
            @Override
            Mono<Void> start() {
                Mono<Void> ack = raw.ack();
                return beforeAck == null ? ack : beforeAck.then(ack);
            }
        };
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
        return new Settlement(meters.nacked()) {
            @Override
            Mono<Void> start() {
                return raw.nack(delay, nextAttempt);
            }
        };
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
        return new Settlement(meters.deadLettered()) {
            @Override
            Mono<Void> start() {
                return raw.deadLetter(record);
            }
        };
    }

    /**
     * Returns the message unchanged (same attempt, not counted as a retry) because it was taken but
     * never handled, e.g. by a worker that stopped.
     */
    public Mono<Void> release() {
        return new Settlement(null) {
            @Override
            Mono<Void> start() {
                return raw.release();
            }
        };
    }

    /**
     * Removes the message after a custom dead-letter sink took it: counted as failed and
     * dead-lettered, not acked.
     */
    public Mono<Void> drop() {
        return new Settlement(meters.deadLettered()) {
            @Override
            Mono<Void> start() {
                return raw.drop();
            }
        };
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

    /**
     * One settlement of this delivery. Each subscription settles it if nothing did before: it marks
     * the delivery settled, subscribes to the backend's settlement from {@link #start()} and counts
     * it in {@code counter} (if any) once that completes; errors pass through uncounted. If the delivery was
     * settled already, it completes at once without effect.
     *
     * <p>Hand-written rather than {@code Mono.defer} plus {@code doOnSuccess} because it runs once
     * per message: it is one object where those made six. Only the one subscription that wins the
     * settle-once guard reaches the backend, so the Mono doubles as that subscription's subscriber
     * ({@code actual} and {@code upstream} belong to it). It hands downstream itself, not the
     * upstream subscription, so that no fusion can bypass {@link #onComplete()}.
     */
    private abstract class Settlement extends Mono<Void> implements CoreSubscriber<Void>, Subscription {

        private final Counter counter;
        private CoreSubscriber<? super Void> actual;
        private Subscription upstream;

        Settlement(Counter counter) {
            this.counter = counter;
        }

        /** The backend's settlement, assembled on subscription. */
        abstract Mono<Void> start();

        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            if (!SETTLED.compareAndSet(DefaultDelivery.this, 0, 1)) {
                Operators.complete(actual);
                return;
            }
            Mono<Void> settlement;
            try {
                settlement = Objects.requireNonNull(start(), "the backend returned a null settlement");
            } catch (Throwable e) {
                Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
                return;
            }
            this.actual = actual;
            settlement.subscribe((CoreSubscriber<Void>) this);
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Void v) {
            // A Mono<Void> emits no value.
        }

        @Override
        public void onError(Throwable t) {
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            if (counter != null) {
                counter.increment();
            }
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }
    }
}
