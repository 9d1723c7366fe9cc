package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.publisher.Mono;

/** One delivery of the in-memory backend; while in flight it is linked into its topic's in-flight list. */
final class MemoryDelivery implements BackendDelivery {

    final MemoryTopic topic;
    final MemoryTopic.Consumer consumer;
    final MemoryTopic.Entry entry;
    final long deadline;
    private final Message<byte[]> message;
    // Guarded by the topic monitor.
    boolean inFlight;
    MemoryDelivery prev;
    MemoryDelivery next;
    // The next ack while on the topic's ack stack; ackQueued keeps it from being pushed twice.
    MemoryDelivery nextAck;
    private volatile int ackQueued;
    private static final AtomicIntegerFieldUpdater<MemoryDelivery> ACK_QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(MemoryDelivery.class, "ackQueued");

    MemoryDelivery(MemoryTopic topic, MemoryTopic.Consumer consumer, MemoryTopic.Entry entry, long deadline) {
        this.topic = topic;
        this.consumer = consumer;
        this.entry = entry;
        this.deadline = deadline;
        this.message = entry.message.withAttempt(entry.nextAttempt);
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
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.fromRunnable(() -> topic.settle(this, MemoryTopic.Settlement.DEAD_LETTER, null, 0, record));
    }
}
