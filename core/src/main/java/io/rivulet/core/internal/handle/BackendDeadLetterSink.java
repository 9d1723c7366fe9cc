package io.rivulet.core.internal.handle;

import io.rivulet.core.DeadLetterSink;
import io.rivulet.core.Delivery;
import io.rivulet.core.internal.DefaultDelivery;
import reactor.core.publisher.Mono;

/**
 * The default dead-letter sink: the delivery's own topic's dead letters, through the delivery. It
 * settles the delivery itself, so the operators do not ack after it.
 */
public final class BackendDeadLetterSink<T> implements DeadLetterSink<T> {

    private static final BackendDeadLetterSink<?> INSTANCE = new BackendDeadLetterSink<>();

    private BackendDeadLetterSink() {
    }

    /** The shared instance. */
    @SuppressWarnings("unchecked")
    public static <T> BackendDeadLetterSink<T> instance() {
        return (BackendDeadLetterSink<T>) INSTANCE;
    }

    @Override
    public Mono<Void> deadLetter(Delivery<T> delivery, String reason, Throwable error, int attempts) {
        if (delivery instanceof DefaultDelivery<T> d) {
            return d.deadLetter(reason, error, attempts);
        }
        // Other deliveries cannot carry in-process attempts: they record their delivery attempt.
        return delivery.deadLetter(reason, error);
    }

    @Override
    public String toString() {
        return "DeadLetterSink.backend()";
    }
}
