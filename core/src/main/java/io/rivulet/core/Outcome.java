package io.rivulet.core;

import java.util.Objects;

/**
 * How a {@link Handle} operator settled one delivery, emitted once per delivery after the settlement
 * completed.
 *
 * @param message the delivered message (with the attempt it was delivered as)
 * @param status how it was settled
 * @param attempts the attempts it had, counting the delivery attempt and in-process retries
 * @param error the last handler error, or {@code null} when acked after a success
 * @param reason the dead-letter reason ({@code "max attempts exhausted"}, {@code "permanent failure"},
 *               {@code "poison"}), or {@code null} when not dead-lettered
 * @param <T> the payload type
 */
public record Outcome<T>(Message<T> message, Status status, int attempts, Throwable error, String reason) {

    /** How a delivery was settled. */
    public enum Status {
        /** Handled successfully and acked. */
        ACKED,
        /** Failed temporarily and returned to the backend for a durable, delayed redelivery. */
        RETRIED,
        /** Sent to the dead-letter sink (and removed from its queue, for a custom sink). */
        DEAD_LETTERED,
        /**
         * Settling failed (e.g. the broker closed or a custom dead-letter sink failed): the delivery
         * was left to the backend, which redelivers it after its visibility timeout; {@code error}
         * holds the settlement error.
         */
        UNSETTLED
    }

    /** Checks the required components. */
    public Outcome {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(status, "status");
    }

    /** The message id. */
    public String id() {
        return message.id();
    }
}
