package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
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

    MemoryDelivery(MemoryTopic topic, MemoryTopic.Consumer consumer, MemoryTopic.Entry entry, long deadline) {
        this.topic = topic;
        this.consumer = consumer;
        this.entry = entry;
        this.deadline = deadline;
        this.message = entry.message.withAttempt(entry.nextAttempt);
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
