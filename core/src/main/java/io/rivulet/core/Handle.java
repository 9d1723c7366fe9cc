package io.rivulet.core;

import io.rivulet.core.internal.handle.HandleOperators;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Operators that handle deliveries and settle each exactly once, for
 * {@code queue.consume().transform(Handle.concurrently(handler, options))}.
 *
 * <p>Each operator emits one {@link Outcome} per delivery once it is settled, in settlement order.
 * After a handler succeeds the delivery is acked. After it fails, the error is classified by the
 * options' {@link ErrorClassifier}: a {@link ErrorKind#TEMPORARY temporary} error is retried per the
 * {@link RetryPolicy} (short waits in-process, holding the delivery; long ones as a durable
 * redelivery) until the attempts run out; then, and at once for a permanent or poison error, the
 * delivery goes to the {@link DeadLetterSink} with reason {@code "max attempts exhausted"},
 * {@code "permanent failure"} or {@code "poison"}. A handler timeout cancels the handler and counts as
 * a temporary failure. Handler errors never terminate the returned Flux; errors of the upstream do.
 *
 * <p>Backpressure: the operators request from upstream only as handler slots free up (a delivery
 * waiting for an in-process retry keeps its slot), and the backend's prefetch bounds the deliveries
 * held. Cancelling the returned Flux cancels the running handlers; their deliveries stay unsettled
 * and come back after the backend's visibility timeout. Timers run on the options' scheduler;
 * handlers are subscribed on the thread that delivers, so they must not block (see
 * {@link Handler#blocking}). When a delivery is the broker's own, each handler run is also recorded
 * in the topic's handler timer.
 */
public final class Handle {

    private Handle() {
    }

    /**
     * Handles deliveries with at most {@link HandleOptions#concurrency()} handlers running at once,
     * in no particular order.
     */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> concurrently(Handler<T> handler,
                                                                                 HandleOptions options) {
        return HandleOperators.concurrently(handler, options);
    }

    /** {@link #concurrently(Handler, HandleOptions)} with the default options. */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> concurrently(Handler<T> handler) {
        return concurrently(handler, HandleOptions.defaults());
    }

    /**
     * Handles deliveries so that messages of one {@link Message#key()} never run concurrently and are
     * handled in delivery order, and different keys run in parallel, up to
     * {@link HandleOptions#concurrency()} at once. Messages without a key are unordered.
     *
     * <p>Keys are spread by hash over {@code concurrency} lanes, each handling its deliveries one at
     * a time (in-process retries included, so a retrying message holds back the later ones of its
     * lane); keys sharing a lane are serialized but never stall other lanes, whatever the number of
     * distinct keys. A message is settled as soon as it is handled, without waiting for other lanes.
     *
     * <p>A durable retry (a backoff longer than {@link RetryPolicy#inProcessLimit()}) returns the
     * message to the queue, so later messages of its key may run before it comes back; where strict
     * per-key order matters, keep every backoff in-process ({@code inProcessLimit >= maxBackoff}).
     */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> inKeyOrder(Handler<T> handler,
                                                                               HandleOptions options) {
        return HandleOperators.inKeyOrder(handler, options);
    }

    /**
     * Handles deliveries in batches closed at {@link BatchOptions#maxSize()} messages or
     * {@link BatchOptions#maxWait()} after their first message, whichever comes first, with one
     * handler call per batch and up to {@link HandleOptions#concurrency()} (of
     * {@link BatchOptions#handleOptions()}) batches at once.
     *
     * <p>When the call succeeds every message is acked; when it fails every message fails; a
     * {@link BatchResult} can fail single messages, and the others are acked. Failed messages follow
     * the retry policy one by one: those due an in-process retry are handed to the handler again
     * together, in one call, after the longest of their waits. Deliveries are taken as they come
     * and closed windows wait for a handler slot, so a slow handler holds up to the consumer's
     * prefetch of deliveries (and slows consumption once it is reached).
     */
    public static <T> Function<Flux<Delivery<T>>, Flux<Outcome<T>>> batched(BatchHandler<T> handler,
                                                                            BatchOptions options) {
        return HandleOperators.batched(handler, options);
    }
}
