package io.rivulet.samples.service.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the worker service did with one message, as shown by {@code GET /events}. Carries ids
 * and what happened, never the payload.
 *
 * @param at when it happened
 * @param topic the message's topic
 * @param messageId the message id
 * @param attempt the attempt it happened on (1 on the first delivery)
 * @param kind what happened
 * @param detail a short human-readable description (no payload content)
 */
public record ProcessedEvent(Instant at, String topic, String messageId, int attempt, Kind kind, String detail) {

    /** What happened to the message. */
    public enum Kind {
        /** A handler finished it; it is acked. */
        HANDLED,
        /** One handler attempt failed; the retry policy decides what comes next. */
        ATTEMPT_FAILED,
        /** Returned to its queue for a later, durable retry. */
        RETRY_SCHEDULED,
        /** Moved to its topic's dead letters. */
        DEAD_LETTERED,
        /** Could not be settled (the broker closed); the backend redelivers it. */
        UNSETTLED
    }

    /** Checks the required components. */
    public ProcessedEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(kind, "kind");
    }
}
