package io.rivulet.rabbit.internal;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * One message delivered to a {@link RabbitConsumer}, not yet acknowledged to the broker. Every
 * settlement that keeps the message (nack, dead-letter, release, visibility timeout) first
 * publishes its new copy with a confirm and only then acks the original: a crash in between
 * leaves a duplicate, never a loss. Exactly one settlement wins (an atomic claim), which also
 * settles the race with the visibility timeout.
 */
final class RabbitDelivery implements BackendDelivery {

    private final RabbitConsumer consumer;
    private final Message<byte[]> message;
    private final long tag;
    private final AtomicBoolean claimed = new AtomicBoolean();
    volatile boolean emitted;
    volatile long emittedAtMillis;

    RabbitDelivery(RabbitConsumer consumer, Message<byte[]> message, long tag) {
        this.consumer = consumer;
        this.message = message;
        this.tag = tag;
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    long tag() {
        return tag;
    }

    boolean isClaimed() {
        return claimed.get();
    }

    /** The channel it came on was lost: the broker redelivers it, so no settlement may act on it. */
    boolean abandon() {
        return claim();
    }

    private boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    private RabbitBackend backend() {
        return consumer.backend();
    }

    @Override
    public Mono<Void> ack() {
        return Mono.defer(() -> {
            if (!claim()) {
                return Mono.empty();
            }
            consumer.ack(this);
            backend().counters(message.topic()).completed.increment();
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> nack(Duration delay, int nextAttempt) {
        return Mono.defer(() -> {
            if (!claim()) {
                return Mono.empty();
            }
            Message<byte[]> copy = message;
            if (delay.toMillis() > 0) {
                long now = backend().scheduler().now(TimeUnit.MILLISECONDS);
                copy = message.toBuilder().availableAt(Instant.ofEpochMilli(now + delay.toMillis())).build();
            }
            return backend().route(copy, nextAttempt)
                    .doOnSuccess(v -> {
                        consumer.ack(this);
                        backend().counters(message.topic()).retried.increment();
                    })
                    .doOnError(e -> consumer.unclaimedAfterError(this, claimed));
        });
    }

    @Override
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.defer(() -> {
            if (!claim()) {
                return Mono.empty();
            }
            Instant now = Instant.ofEpochMilli(backend().scheduler().now(TimeUnit.MILLISECONDS));
            DeadLetter dl = Envelopes.deadLetterOf(message, record, now);
            return backend().publishDeadLetter(dl)
                    .doOnSuccess(v -> {
                        consumer.ack(this);
                        backend().counters(message.topic()).failed.increment();
                    })
                    .doOnError(e -> consumer.unclaimedAfterError(this, claimed));
        });
    }

    @Override
    public Mono<Void> release() {
        return Mono.defer(() -> claim() ? returnAs(message.attempt()) : Mono.empty());
    }

    /** Visibility timeout: the consumer kept it too long; it comes back as the next attempt. */
    Mono<Void> expire() {
        return Mono.defer(() -> claim() ? returnAs(message.attempt() + 1) : Mono.empty());
    }

    private Mono<Void> returnAs(int attempt) {
        Message<byte[]> now = message.toBuilder().availableAt(null).build();
        return backend().route(now, attempt)
                .doOnSuccess(v -> consumer.ack(this))
                .doOnError(e -> consumer.unclaimedAfterError(this, claimed));
    }

    @Override
    public Mono<Void> drop() {
        return Mono.defer(() -> {
            if (!claim()) {
                return Mono.empty();
            }
            consumer.ack(this);
            backend().counters(message.topic()).failed.increment();
            return Mono.empty();
        });
    }
}
