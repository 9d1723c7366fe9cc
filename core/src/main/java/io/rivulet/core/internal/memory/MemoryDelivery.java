package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.publisher.Mono;

/**
 * One stored message of the in-memory backend and, once taken, its delivery. An entry is delivered
 * at most once: a redelivery is a new entry ({@link #requeue}), so settling a delivery that expired
 * finds it no longer in flight and has no effect. Being both saves an object per message.
 */
final class MemoryDelivery implements BackendDelivery {

    final MemoryTopic topic;
    /** The message as published (attempt 0). */
    final Message<byte[]> stored;
    /** The attempt the delivery of this entry carries. */
    final int nextAttempt;
    // Guarded by the topic monitor while stored.
    long dueAt; // Long.MIN_VALUE until filed, for an offered message without a delay
    long seq;
    MemoryDelivery nextIncoming; // the next older offer while on the topic's incoming stack
    // Set by deliver under the topic monitor, before the delivery is emitted.
    MemoryTopic.Consumer consumer;
    long deadline;
    private Message<byte[]> message;
    // Guarded by the topic monitor.
    boolean inFlight;
    MemoryDelivery prev;
    MemoryDelivery next;
    // The next ack while on the topic's ack stack; ackQueued keeps it from being pushed twice.
    MemoryDelivery nextAck;
    private volatile int ackQueued;
    private static final AtomicIntegerFieldUpdater<MemoryDelivery> ACK_QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(MemoryDelivery.class, "ackQueued");

    MemoryDelivery(MemoryTopic topic, Message<byte[]> stored, int nextAttempt, long dueAt) {
        this.topic = topic;
        this.stored = stored;
        this.nextAttempt = nextAttempt;
        this.dueAt = dueAt;
    }

    /** Turns the entry into its delivery to {@code consumer}; guarded by the topic monitor. */
    void deliver(MemoryTopic.Consumer consumer, long deadline) {
        this.consumer = consumer;
        this.deadline = deadline;
        this.message = stored.withAttempt(nextAttempt);
    }

    /** A new entry for the same message, delivered as {@code attempt} from {@code due} on. */
    MemoryDelivery requeue(int attempt, long due) {
        return new MemoryDelivery(topic, stored, attempt, due);
    }

    /** Whether this is the first ack of this delivery, which alone may go on the ack stack. */
    boolean queueAck() {
        return ACK_QUEUED.compareAndSet(this, 0, 1);
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return Mono.fromRunnable(() -> topic.ack(this));
    }

    @Override
    public Mono<Void> nack(Duration delay, int nextAttempt) {
        return Mono.fromRunnable(() -> topic.settle(this, MemoryTopic.Settlement.NACK, delay, nextAttempt, null));
    }

    @Override
    public Mono<Void> release() {
        return Mono.fromRunnable(() -> topic.settle(this, MemoryTopic.Settlement.RELEASE, null, 0, null));
    }

    @Override
    public Mono<Void> drop() {
        return Mono.fromRunnable(() -> topic.settle(this, MemoryTopic.Settlement.DROP, null, 0, null));
    }

    @Override
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.fromRunnable(() -> topic.settle(this, MemoryTopic.Settlement.DEAD_LETTER, null, 0, record));
    }
}
