package io.rivulet.core.spi;

import io.rivulet.core.Message;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * One delivery as a backend sees it: the encoded message and its three settlements. Core calls
 * at most one settlement method, at most once; each is lazy.
 */
public interface BackendDelivery {

    /** The delivered message, attempt set (1 on first delivery). */
    Message<byte[]> message();

    /** Removes the message: it is done. Counts as completed. */
    Mono<Void> ack();

    /**
     * Returns the message for redelivery after {@code delay} (zero: at once), as attempt
     * {@code nextAttempt} (normally {@code message().attempt() + 1}). Counts as retried.
     */
    Mono<Void> nack(Duration delay, int nextAttempt);

    /** Moves the message to its topic's dead letters with the record's fields. Counts as failed. */
    Mono<Void> deadLetter(DeadLetterRecord record);

    /**
     * Returns the message unchanged, with this delivery's attempt, for another delivery as soon as
     * possible: the consumer took it but never handled it (a worker stopping, a consumer cancelled).
     * Not a retry: counts neither as retried nor as failed.
     */
    Mono<Void> release();

    /**
     * Removes the message without keeping it as a dead letter, because a custom dead-letter sink
     * took it elsewhere. Counts as failed.
     */
    Mono<Void> drop();
}
