package io.rivulet.core;

import io.rivulet.core.internal.handle.BackendDeadLetterSink;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Where the {@link Handle} operators send a message that failed for good (attempts exhausted,
 * permanent or poison error).
 *
 * <p>The {@link #backend() default} settles the delivery into its topic's dead letters, recording
 * reason, error and attempts. Any other sink takes over responsibility for the message (publish it
 * elsewhere, store it, alert): when its Mono completes, the operator removes the delivery from its
 * queue, counted there as failed and dead-lettered (a delivery that is not the broker's own can
 * only be acked); when it fails, the delivery is left unsettled and the backend redelivers it after its visibility
 * timeout. A sink must not settle the delivery itself, except the backend one. Sinks are called
 * concurrently from the operator's threads and must not block.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface DeadLetterSink<T> {

    /**
     * Takes a message that failed for good.
     *
     * @param delivery the delivery (not yet settled)
     * @param reason {@code "max attempts exhausted"}, {@code "permanent failure"} or {@code "poison"}
     * @param error the last handler error
     * @param attempts the attempts it had, the delivery attempt and in-process retries included
     * @return a Mono completing when the sink holds the message
     */
    Mono<Void> deadLetter(Delivery<T> delivery, String reason, Throwable error, int attempts);

    /** The default sink: the delivery's own topic's dead letters on the backend. */
    static <T> DeadLetterSink<T> backend() {
        return BackendDeadLetterSink.instance();
    }

    /**
     * A sink that publishes the failed message to {@code target} (a new message with the same id,
     * payload, key and headers, attempt reset, plus headers {@code dead-letter-reason} and
     * {@code dead-letter-error}).
     */
    static <T> DeadLetterSink<T> publishTo(Queue<T> target) {
        Objects.requireNonNull(target, "target");
        return (delivery, reason, error, attempts) -> {
            Message.Builder<T> b = delivery.message().toBuilder().topic(null).attempt(0).availableAt(null)
                    .header("dead-letter-reason", reason)
                    .header("dead-letter-attempts", Integer.toString(attempts));
            if (error != null) {
                b.header("dead-letter-error", error.getClass().getName());
            }
            return target.publish(b.build()).then();
        };
    }
}
