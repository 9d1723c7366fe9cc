package io.rivulet.core.internal.handle;

import io.rivulet.core.BatchHandler;
import io.rivulet.core.BatchOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Handler;
import io.rivulet.core.Outcome;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/** The implementations behind {@link io.rivulet.core.Handle}; see there for the contracts. */
public final class HandleOperators {

    private HandleOperators() {
    }

    /** Bounded-concurrency handling. */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> concurrently(Handler<T> handler,
                                                                                 HandleOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        RetryingHandler<T> runner = new RetryingHandler<>(handler, HandleSettings.of(options));
        int concurrency = options.concurrency();
        return deliveries -> deliveries.flatMap(runner::handle, concurrency);
    }

    /**
     * Key-ordered handling: one lane per concurrency slot, chosen by key hash, each lane handling its
     * deliveries one after another. The lane count is fixed, so groupBy never has more groups than
     * flatMap subscribes at once (the way unbounded distinct keys stall groupBy).
     */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> inKeyOrder(Handler<T> handler,
                                                                               HandleOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        RetryingHandler<T> runner = new RetryingHandler<>(handler, HandleSettings.of(options));
        int lanes = options.concurrency();
        return deliveries -> deliveries
                .groupBy(d -> KeyLanes.laneOf(d.message(), lanes))
                .flatMap(lane -> lane.concatMap(runner::handle), lanes);
    }

    /** Batched handling. */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> batched(BatchHandler<T> handler,
                                                                            BatchOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        HandleOptions handling = options.handleOptions();
        BatchRunner<T> runner = new BatchRunner<>(handler, HandleSettings.of(handling));
        return deliveries -> deliveries
                // Not Reactor's fair-backpressure bufferTimeout: it closes a partial window early
                // whenever demand resumes (reactor-core#4377), which breaks "maxSize or maxWait" as
                // soon as deliveries arrive in chunks, as they do from a remote backend. Closed
                // windows queue for a handler slot instead; the consumer's prefetch bounds them.
                .bufferTimeout(options.maxSize(), options.maxWait(), handling.scheduler())
                .onBackpressureBuffer()
                .flatMap(runner::handle, handling.concurrency());
    }
}
