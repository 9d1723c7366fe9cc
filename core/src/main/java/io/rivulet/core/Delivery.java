package io.rivulet.core;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * One delivery of a message to a consumer, to be settled exactly once.
 *
 * <p>Settlement methods are lazy: nothing happens until the returned {@link Mono} is subscribed.
 * The first settlement that is subscribed wins; any later one completes without effect. A
 * delivery that is never settled counts against the consumer's prefetch and comes back to the
 * queue after the backend's visibility timeout (or when its connection closes, depending on the
 * backend) with {@link Message#attempt()} increased.
 *
 * <p>Settlement Monos may complete on any thread and never block. A settlement that fails (the
 * broker closed, the connection dropped) signals the error and still counts as this delivery's one
 * settlement: the backend redelivers the message after its visibility timeout, so it is never lost,
 * but it may be handled again (at-least-once).
 *
 * @param <T> the payload type
 */
public interface Delivery<T> {

    /** The delivered message; {@link Message#attempt()} is 1 on the first delivery. */
    Message<T> message();

    /** Marks the message as processed and removes it from the queue. */
    Mono<Void> ack();

    /** Returns the message to the queue for immediate redelivery with {@code attempt + 1}. */
    default Mono<Void> nack() {
        return nack(Duration.ZERO);
    }

    /** Returns the message to the queue for redelivery after {@code delay}, with {@code attempt + 1}. */
    Mono<Void> nack(Duration delay);

    /** Moves the message to its topic's dead letters with the given reason. */
    default Mono<Void> deadLetter(String reason) {
        return deadLetter(reason, null);
    }

    /**
     * Moves the message to its topic's dead letters with the given reason and the error that
     * caused it (its class and message are kept; may be {@code null}).
     */
    Mono<Void> deadLetter(String reason, Throwable error);

    /** Whether a settlement of this delivery has already been subscribed. */
    boolean isSettled();
}
