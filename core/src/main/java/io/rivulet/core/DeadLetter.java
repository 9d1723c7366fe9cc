package io.rivulet.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message that ended in its topic's dead letters, with why.
 *
 * <p>The message is kept in its encoded form so that even undecodable (poison) payloads can be
 * inspected and replayed.
 *
 * @param message the original message, payload as encoded bytes
 * @param reason why it was dead-lettered (e.g. {@code "max attempts exhausted"}, {@code "poison"})
 * @param errorClass the class name of the error that caused it, or {@code null}
 * @param errorMessage the message of that error, or {@code null}
 * @param attempts how many delivery attempts it had
 * @param firstFailureAt when it was first dead-lettered
 * @param lastFailureAt when it was last dead-lettered (differs after a replay failed again)
 * @param replays how many times it has been replayed from the dead letters
 */
public record DeadLetter(Message<byte[]> message, String reason, String errorClass, String errorMessage,
                         int attempts, Instant firstFailureAt, Instant lastFailureAt, int replays) {

    /** The message id. */
    public String id() {
        return message.id();
    }

    /** The payload decoded as UTF-8 text, for inspection (JSON payloads read as-is). */
    public String payloadText() {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
