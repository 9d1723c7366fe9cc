package io.rivulet.core;

import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Processes one message for the {@link Handle} operators.
 *
 * <p>The returned {@link Mono} completing (with or without a value) means success and the delivery
 * is acked; an error (or an exception thrown by {@code handle} itself) is a failed attempt, classified
 * by the {@link ErrorClassifier} and retried or dead-lettered per the {@link RetryPolicy}. The
 * operators subscribe once per attempt, may cancel the Mono (handler timeout, downstream cancel) and
 * never block; a handler must not block either — wrap blocking code with {@link #blocking}.
 * A handler never settles the delivery itself: the operator does, exactly once.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface Handler<T> {

    /** Returns a Mono that processes {@code message} when subscribed. */
    Mono<?> handle(Message<T> message);

    /**
     * Wraps blocking code as a handler that runs it on {@link Schedulers#boundedElastic()}. A handler
     * timeout or a cancel interrupts the thread running it.
     */
    static <T> Handler<T> blocking(Blocking<T> body) {
        return blocking(body, Schedulers.boundedElastic());
    }

    /** Wraps blocking code as a handler that runs it on {@code scheduler} (one made for blocking work). */
    static <T> Handler<T> blocking(Blocking<T> body, Scheduler scheduler) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(scheduler, "scheduler");
        return message -> Mono.fromCallable(() -> {
            body.handle(message);
            return Boolean.TRUE;
        }).subscribeOn(scheduler);
    }

    /**
     * Blocking handling code: returns normally on success, throws on failure.
     *
     * @param <T> the payload type
     */
    @FunctionalInterface
    interface Blocking<T> {

        /** Processes {@code message}, blocking the calling thread; throws to fail the attempt. */
        void handle(Message<T> message) throws Exception;
    }
}
