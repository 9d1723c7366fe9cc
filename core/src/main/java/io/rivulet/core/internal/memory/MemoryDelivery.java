package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One stored message of the in-memory backend and, once taken, its delivery. An entry is delivered
 * at most once: a redelivery is a new entry ({@link #requeue}), so settling a delivery that expired
 * finds it no longer in flight and has no effect. Being both saves an object per message.
 *
 * <p>The entry is also the {@code Mono} that {@link #ack()} returns: subscribing to it acks the
 * delivery, as {@code Mono.fromRunnable} would, without the three objects that costs per message.
 */
final class MemoryDelivery extends Mono<Void> implements BackendDelivery {

    /** The message as published (attempt 1: its first delivery hands out this object itself). */
    final Message<byte[]> stored;
    /** The attempt the delivery of this entry carries. */
    final int nextAttempt;
    // Guarded by the topic monitor. While stored: when the entry is due (Long.MIN_VALUE for an offered
    // message without a delay). Once delivered: its visibility deadline (see deadline()). One field
    // for both saves 8 bytes per queued message; a delivered entry is never stored again.
    long dueAt;
    long seq;
    // The next entry on one of the topic's lock-free stacks: the incoming stack while offered (until
    // filed), then the ack stack once delivered and acked. The two never overlap in time.
    MemoryDelivery nextPending;
    // Set by deliver under the topic monitor, before the delivery is emitted; the consumer also
    // leads to the topic, which a delivery needs only from then on.
    MemoryConsumer consumer;
    private Message<byte[]> message;
    // Guarded by the topic monitor.
    boolean inFlight;
    MemoryDelivery prev;
    MemoryDelivery next;
    // Keeps a delivery from being pushed on the ack stack twice.
    private volatile int ackQueued;
    private static final AtomicIntegerFieldUpdater<MemoryDelivery> ACK_QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(MemoryDelivery.class, "ackQueued");

    MemoryDelivery(Message<byte[]> stored, int nextAttempt, long dueAt) {
        this.stored = stored;
        this.nextAttempt = nextAttempt;
        this.dueAt = dueAt;
    }

    /** Turns the entry into its delivery to {@code consumer}; guarded by the topic monitor. */
    void deliver(MemoryConsumer consumer, long deadline) {
        this.consumer = consumer;
        this.dueAt = deadline;
        this.message = stored.withAttempt(nextAttempt);
    }

    /** When this delivery comes back unless settled; guarded by the topic monitor. */
    long deadline() {
        return dueAt;
    }

    /** A new entry for the same message, delivered as {@code attempt} from {@code due} on. */
    MemoryDelivery requeue(int attempt, long due) {
        return new MemoryDelivery(stored, attempt, due);
    }

    /** Whether this is the first ack of this delivery, which alone may go on the ack stack. */
    boolean queueAck() {
        return ACK_QUEUED.compareAndSet(this, 0, 1);
    }

    private MemoryTopic topic() {
        return consumer.topic;
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return this;
    }

    /** Acks this delivery, then completes {@code actual}: the subscription of {@link #ack()}. */
    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        try {
            topic().ack(this);
        } catch (Throwable e) {
            Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
            return;
        }
        Operators.complete(actual);
    }

    @Override
    public Mono<Void> nack(Duration delay, int nextAttempt) {
        return Mono.fromRunnable(() -> topic().settle(this, MemoryTopic.Settlement.NACK, delay, nextAttempt, null));
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(() -> topic().settle(this, MemoryTopic.Settlement.RELEASE, null, 0, null));
    }

    @Override
    public Mono<Void> drop() {
        return Mono.fromRunnable(() -> topic().settle(this, MemoryTopic.Settlement.DROP, null, 0, null));
    }

    @Override
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.fromRunnable(() -> topic().settle(this, MemoryTopic.Settlement.DEAD_LETTER, null, 0, record));
    }

    @Override
    public String toString() {
        // Not the Mono's toString: this is a delivery, and its payload is never printed.
        return "MemoryDelivery{" + stored + ", attempt=" + nextAttempt + "}";
    }
}
