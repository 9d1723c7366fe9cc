package io.rivulet.core.internal.memory;

import io.rivulet.core.spi.BackendDelivery;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * One subscriber to a topic's deliveries, and its subscription. Only the topic's drain loop, which
 * one thread at a time runs, signals the subscriber: {@code onNext} against the demand counted
 * here, {@code onComplete} once the topic closes. The signals are therefore serialized without
 * a serializing sink, which {@code Flux.create} would add at two atomic operations per delivery
 * (plus one for its own demand count).
 */
final class MemoryConsumer implements Subscription {

    final MemoryTopic topic;
    final CoreSubscriber<? super BackendDelivery> actual;
    final int prefetch;
    // Guarded by the topic monitor: deliveries taken and not yet settled, bounded by prefetch.
    int unsettled;
    volatile boolean cancelled;
    // Set when the topic closes; the drain loop completes the subscriber and drops the consumer.
    volatile boolean closing;
    private volatile long requested;
    private static final AtomicLongFieldUpdater<MemoryConsumer> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(MemoryConsumer.class, "requested");

    MemoryConsumer(MemoryTopic topic, CoreSubscriber<? super BackendDelivery> actual, int prefetch) {
        this.topic = topic;
        this.actual = actual;
        this.prefetch = prefetch;
    }

    /** Outstanding demand; {@link Long#MAX_VALUE} for unbounded. */
    long requested() {
        return requested;
    }

    /** Whether it is neither cancelled nor closing and has outstanding demand. */
    boolean hasDemand() {
        return !cancelled && !closing && requested > 0;
    }

    /** Counts {@code n} deliveries against the demand. Called by the drain loop only. */
    void produced(long n) {
        Operators.produced(REQUESTED, this, n);
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            topic.drain();
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            topic.removeConsumer(this);
        }
    }
}
