package io.rivulet.samples.service.worker;

import io.rivulet.core.Codec;
import io.rivulet.core.Message;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * The handler of one topic, as the {@link WorkerService} runs it.
 *
 * @param topic the topic it consumes
 * @param codec how its payloads are decoded
 * @param body what it does with one message
 * @param always {@code true} to consume the topic whatever {@code rivulet.worker.topics} says (the
 *               order and user demos); {@code false} to consume it only when configured
 * @param dedupTtl consumer-side dedup: a message id handled within this TTL is acked and skipped
 *                 ({@code null}: off)
 * @param <T> the payload type
 */
public record TopicHandler<T>(String topic, Codec<T> codec, Body<T> body, boolean always, Duration dedupTtl) {

    /**
     * Handles one message: the Mono emits a short description of what was done (no payload
     * content) or completes empty; an error fails the attempt. Must not block.
     *
     * @param <T> the payload type
     */
    @FunctionalInterface
    public interface Body<T> {
        /** Returns a Mono that handles {@code message} when subscribed. */
        Mono<String> handle(Message<T> message);
    }

    /** Checks the required components. */
    public TopicHandler {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(body, "body");
    }

    /** A handler of a topic consumed only when configured. */
    public static <T> TopicHandler<T> configurable(String topic, Codec<T> codec, Body<T> body) {
        return new TopicHandler<>(topic, codec, body, false, null);
    }

    /** A handler of a topic always consumed. */
    public static <T> TopicHandler<T> always(String topic, Codec<T> codec, Body<T> body) {
        return new TopicHandler<>(topic, codec, body, true, null);
    }

    /** A copy with consumer-side dedup by message id for {@code ttl}. */
    public TopicHandler<T> dedup(Duration ttl) {
        return new TopicHandler<>(topic, codec, body, always, ttl);
    }
}
