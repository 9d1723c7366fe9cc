package io.rivulet.core;

import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Processes a batch of messages at once for {@link Handle#batched}.
 *
 * <p>The Mono emitting a {@link BatchResult} says which messages failed ({@link BatchResult#allOk()}
 * or completing empty means all succeeded); an error fails every message of the batch. Failed
 * messages go through the {@link RetryPolicy}: an in-process retry calls the handler again with only
 * the messages being retried. The list is unmodifiable and in arrival order. The operator may cancel
 * the Mono (timeout, downstream cancel); a handler must not block — wrap blocking code with
 * {@link #blocking}.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface BatchHandler<T> {

    /** Returns a Mono that processes {@code messages} when subscribed and emits which failed. */
    Mono<BatchResult> handle(List<Message<T>> messages);

    /** Wraps an all-or-nothing handler: completion acks the whole batch, an error fails all of it. */
    static <T> BatchHandler<T> of(java.util.function.Function<List<Message<T>>, Mono<?>> body) {
        Objects.requireNonNull(body, "body");
        return messages -> body.apply(messages).then(Mono.just(BatchResult.allOk()));
    }

    /** Wraps blocking code as a batch handler running on {@link Schedulers#boundedElastic()}. */
    static <T> BatchHandler<T> blocking(Blocking<T> body) {
        return blocking(body, Schedulers.boundedElastic());
    }

    /** Wraps blocking code as a batch handler running on {@code scheduler}; cancel interrupts it. */
    static <T> BatchHandler<T> blocking(Blocking<T> body, Scheduler scheduler) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(scheduler, "scheduler");
        return messages -> Mono.fromCallable(() -> body.handle(messages)).subscribeOn(scheduler);
    }

    /**
     * Blocking batch code: returns which messages failed ({@code null} = all ok), throws to fail all.
     *
     * @param <T> the payload type
     */
    @FunctionalInterface
    interface Blocking<T> {

        /** Processes {@code messages}, blocking the calling thread. */
        BatchResult handle(List<Message<T>> messages) throws Exception;
    }
}
