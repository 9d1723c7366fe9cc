package io.rivulet.core;

import reactor.core.publisher.Mono;

/**
 * One connection to one backend, handing out named queues.
 *
 * <p>Queues are cheap views; asking twice for a topic gives two views of the same queue. After
 * {@link #close()}, publishing signals {@link BrokerClosedException} and consumers complete.
 */
public interface Broker {

    /** The backend's name: {@code memory}, {@code redis}, {@code kafka} or {@code rabbit}. */
    String backend();

    /** A queue whose payloads are encoded with {@code codec}. */
    <T> Queue<T> queue(String topic, Codec<T> codec, QueueOptions options);

    /** A queue whose payloads are encoded with {@code codec}, default options. */
    default <T> Queue<T> queue(String topic, Codec<T> codec) {
        return queue(topic, codec, QueueOptions.defaults());
    }

    /** A queue of JSON-encoded payloads of {@code type}, default options. */
    default <T> Queue<T> queue(String topic, Class<T> type) {
        return queue(topic, JsonCodec.of(type), QueueOptions.defaults());
    }

    /** Admin operations over every queue of this broker. */
    Admin admin();

    /** Releases every resource; consumers complete, further publishing fails. Idempotent. */
    Mono<Void> close();

    /** Whether {@link #close()} was called. */
    boolean isClosed();
}
