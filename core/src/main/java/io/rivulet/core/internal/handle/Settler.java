package io.rivulet.core.internal.handle;

import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.internal.DefaultDelivery;
import java.time.Duration;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Settles a delivery once, the way a retry decision says, and reports it as an {@link Outcome}.
 * A settlement that fails is logged and reported as {@link Outcome.Status#UNSETTLED}, never as an
 * error of the stream: the backend will redeliver the message.
 */
final class Settler<T> {

    private static final Logger LOG = Loggers.getLogger(Settler.class);

    private final HandleSettings<T> settings;

    Settler(HandleSettings<T> settings) {
        this.settings = settings;
    }

    Mono<Outcome<T>> ack(Delivery<T> d, int attempts) {
        return settle(d.ack(), d, Outcome.Status.ACKED, attempts, null, null);
    }

    Mono<Outcome<T>> redeliver(Delivery<T> d, int failedAttempt, Duration backoff, Throwable error) {
        Mono<Void> nack = d instanceof DefaultDelivery<T> dd
                ? dd.redeliver(backoff, failedAttempt + 1)
                : d.nack(backoff);
        return settle(nack, d, Outcome.Status.RETRIED, failedAttempt, error, null);
    }

    Mono<Outcome<T>> deadLetter(Delivery<T> d, String reason, Throwable error, int attempts) {
        Mono<Void> sunk = Mono.defer(() -> settings.sink().deadLetter(d, reason, error, attempts));
        if (!(settings.sink() instanceof BackendDeadLetterSink)) {
            // The sink took the message: remove it here, counted as failed (a plain delivery can only ack).
            sunk = sunk.then(d instanceof DefaultDelivery<T> dd ? dd.drop() : d.ack());
        }
        return settle(sunk, d, Outcome.Status.DEAD_LETTERED, attempts, error, reason);
    }

    /** Settles {@code d} as {@code decision} says, after attempt {@code attempt} failed with {@code error}. */
    Mono<Outcome<T>> afterFailure(Delivery<T> d, RetryDecision decision, int attempt, Throwable error) {
        return switch (decision.kind()) {
            case DEAD_LETTER -> deadLetter(d, decision.reason(), error, attempt);
            case RETRY_DURABLE -> redeliver(d, attempt, decision.backoff(), error);
            case RETRY_IN_PROCESS -> throw new IllegalStateException("in-process retries are not settlements");
        };
    }

    private Mono<Outcome<T>> settle(Mono<Void> settlement, Delivery<T> d, Outcome.Status status, int attempts,
                                    Throwable error, String reason) {
        return new Settle<>(settlement, d, status, attempts, error, reason);
    }

    /**
     * Subscribes to a settlement and emits the outcome once it completes, or {@code UNSETTLED} (logged)
     * if it fails. Hand-written rather than {@code then(fromSupplier(…))} and {@code onErrorResume},
     * which made seven objects per message.
     */
    private static final class Settle<T> extends Mono<Outcome<T>> {

        private final Mono<Void> settlement;
        private final Delivery<T> delivery;
        private final Outcome.Status status;
        private final int attempts;
        private final Throwable error;
        private final String reason;

        Settle(Mono<Void> settlement, Delivery<T> delivery, Outcome.Status status, int attempts, Throwable error,
               String reason) {
            this.settlement = settlement;
            this.delivery = delivery;
            this.status = status;
            this.attempts = attempts;
            this.error = error;
            this.reason = reason;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Outcome<T>> actual) {
            settlement.subscribe(new Settling<>(actual, this));
        }
    }

    private static final class Settling<T> extends ResultSubscriber<Void, Outcome<T>> {

        private final Settle<T> spec;

        Settling(CoreSubscriber<? super Outcome<T>> actual, Settle<T> spec) {
            super(actual);
            this.spec = spec;
        }

        @Override
        public void onNext(Void v) {
            // A Mono<Void> emits no value.
        }

        @Override
        public void onError(Throwable e) {
            if (!finish()) {
                Operators.onErrorDropped(e, actual.currentContext());
                return;
            }
            Message<T> m = spec.delivery.message();
            LOG.warn("Could not settle message {} of '{}' as {}: left for redelivery", m.id(), m.topic(), spec.status, e);
            complete(new Outcome<>(m, Outcome.Status.UNSETTLED, spec.attempts, e, spec.reason));
        }

        @Override
        public void onComplete() {
            if (finish()) {
                complete(new Outcome<>(spec.delivery.message(), spec.status, spec.attempts, spec.error, spec.reason));
            }
        }
    }
}
