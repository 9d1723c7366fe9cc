package io.rivulet.core;

import java.time.Duration;
import java.time.Instant;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A named queue of typed messages on one broker: publish to it, consume from it, look at it.
 *
 * <p>Consumers of one queue compete: each message goes to one of them. Every method is lazy and
 * non-blocking. Publishing into a closed broker signals {@link BrokerClosedException}.
 *
 * @param <T> the payload type
 */
public interface Queue<T> {

    /** The topic (queue name). */
    String topic();

    /**
     * Publishes one message; completes once the backend holds it (stored, or confirmed by the
     * broker). Signals {@link QueueFullException} if a bounded backend refuses it, and emits a
     * result with {@code duplicate = true} when producer-side dedup drops it.
     */
    Mono<PublishResult> publish(Message<T> message);

    /** Publishes a payload as a new message with a generated id. */
    default Mono<PublishResult> publish(T payload) {
        return publish(Message.of(payload));
    }

    /**
     * Publishes many messages, in order, emitting one result per message as the backend confirms
     * it. Requests from {@code messages} only as results are requested (backpressure), with a
     * bounded number in flight. Messages without a {@code createdAt} are stamped with the broker's
     * clock; up to 16 consecutive messages that {@code messages} emits synchronously inside one
     * request share one reading of it.
     */
    Flux<PublishResult> publishAll(Publisher<Message<T>> messages);

    /** Publishes a message that becomes deliverable after {@code delay}. */
    Mono<PublishResult> publishDelayed(Message<T> message, Duration delay);

    /** Publishes a message that becomes deliverable at {@code at}. */
    Mono<PublishResult> publishAt(Message<T> message, Instant at);

    /** Consumes with the default options. */
    default Flux<Delivery<T>> consume() {
        return consume(ConsumeOptions.defaults());
    }

    /**
     * Consumes deliveries. Demand drives fetching and at most {@link ConsumeOptions#prefetch()}
     * deliveries are unsettled at any time: the Flux emits no more until some are settled. A
     * payload that cannot be decoded is dead-lettered with reason {@code "poison"} and never
     * emitted. Cancelling stops fetching; deliveries already emitted stay the subscriber's to
     * settle (or come back after the visibility timeout).
     */
    Flux<Delivery<T>> consume(ConsumeOptions options);

    /** The queue's current counters. */
    Mono<QueueStats> stats();

    /** Deletes every ready and delayed message (not in-flight ones, not dead letters); emits how many. */
    Mono<Long> clear();

    /** This topic's dead letters. */
    DeadLetters deadLetters();
}
