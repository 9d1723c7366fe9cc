package io.rivulet.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The dead letters of one topic: inspect, count, replay and purge.
 *
 * <p>Replay publishes the original message back to its topic with its attempt count reset and its
 * replay count kept (the next failure's dead letter shows {@code replays + 1}). All methods are
 * lazy and non-blocking.
 */
public interface DeadLetters {

    /** The topic whose dead letters these are. */
    String topic();

    /** Lists up to {@code limit} dead letters, oldest first. */
    Flux<DeadLetter> list(int limit);

    /** Lists every dead letter, oldest first. */
    default Flux<DeadLetter> list() {
        return list(Integer.MAX_VALUE);
    }

    /** Counts the dead letters. */
    Mono<Long> count();

    /** Replays the dead letter with the given message id; emits {@code false} if there is none. */
    Mono<Boolean> replay(String id);

    /** Replays every dead letter; emits how many were replayed. */
    Mono<Long> replayAll();

    /** Deletes every dead letter; emits how many were deleted. */
    Mono<Long> purge();
}
