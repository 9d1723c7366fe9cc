package io.rivulet.kafka.internal;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * One delivery of a fetched record to one consumer. Settling it does what the settlement means
 * (a nack writes the message again, to its topic or a delay tier; a dead letter writes it to
 * {@code <topic>.dlq}) and only then marks the record settled, which lets its partition's
 * committed offset advance once every earlier record is settled too. A delivery that expired
 * (visibility timeout) or whose partition moved to another consumer settles without effect on
 * offsets.
 */
final class KafkaDelivery implements BackendDelivery {

    final TopicConsumer owner;
    // Replaced when the partition comes back to this member after a rebalance (adopted).
    volatile TopicConsumer.Pending pending;
    final TopicConsumer.Sub sub;
    private final Message<byte[]> message;
    // Its visibility timer, shared with the deliveries handed out with it, and its slot there; guarded by owner's monitor.
    TopicConsumer.Expiry expiry;
    int slot;

    KafkaDelivery(TopicConsumer owner, TopicConsumer.Pending pending, TopicConsumer.Sub sub) {
        this.owner = owner;
        this.pending = pending;
        this.sub = sub;
        this.message = pending.message().withAttempt(pending.attempt());
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return Mono.fromRunnable(() -> owner.settle(this, TopicConsumer.Outcome.COMPLETED));
    }

    @Override
    public Mono<Void> nack(Duration delay, int nextAttempt) {
        return Mono.defer(() -> owner.isInFlight(this)
                ? owner.backend().requeue(message, nextAttempt - 1, delay)
                        .then(Mono.fromRunnable(() -> owner.settle(this, TopicConsumer.Outcome.RETRIED)))
                : Mono.empty());
    }

    @Override
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.defer(() -> owner.isInFlight(this)
                ? owner.backend().deadLetters().write(message, record)
                        .then(Mono.fromRunnable(() -> owner.settle(this, TopicConsumer.Outcome.FAILED)))
                : Mono.empty());
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(() -> owner.release(this, false));
    }

    @Override
    public Mono<Void> drop() {
        return Mono.fromRunnable(() -> owner.settle(this, TopicConsumer.Outcome.FAILED));
    }
}
