package io.rivulet.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operations over every queue of one broker: list, look, clear, reach dead letters.
 *
 * <p>All methods are lazy and non-blocking.
 */
public interface Admin {

    /** The topics of every queue this broker knows of (published to, consumed from or dead-lettered). */
    Flux<String> queues();

    /** One queue's counters. An unknown topic gives all zeros. */
    Mono<QueueStats> stats(String topic);

    /** Counters for every queue. */
    default Flux<QueueStats> stats() {
        return queues().concatMap(this::stats);
    }

    /** Deletes the ready and delayed messages of a queue; emits how many. */
    Mono<Long> clear(String topic);

    /** A topic's dead letters. */
    DeadLetters deadLetters(String topic);
}
