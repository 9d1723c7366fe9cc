package io.rivulet.core.spi;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import java.time.Instant;

/**
 * Header names Rivulet reserves to carry dead-letter history through replays, and the one place
 * that turns a failed message into a {@link DeadLetter}, so every backend records the same thing.
 */
public final class ReservedHeaders {

    /** How many times the message was replayed from the dead letters. */
    public static final String REPLAYS = "rivulet-replays";
    /** When the message was first dead-lettered (ISO-8601), kept across replays. */
    public static final String FIRST_FAILURE = "rivulet-first-failure";

    private ReservedHeaders() {
    }

    /** Builds the dead letter for {@code message} failing now for {@code record}'s reason. */
    public static DeadLetter deadLetter(Message<byte[]> message, DeadLetterRecord record, Instant now) {
        String first = message.headers().get(FIRST_FAILURE);
        String replays = message.headers().get(REPLAYS);
        return new DeadLetter(message, record.reason(), record.errorClass(), record.errorMessage(),
                record.attempts(), first == null ? now : Instant.parse(first), now,
                replays == null ? 0 : Integer.parseInt(replays));
    }

    /** The message to publish when replaying {@code deadLetter}: attempts reset, history kept. */
    public static Message<byte[]> replayOf(DeadLetter deadLetter) {
        return deadLetter.message().toBuilder()
                .attempt(0)
                .availableAt(null)
                .header(REPLAYS, Integer.toString(deadLetter.replays() + 1))
                .header(FIRST_FAILURE, deadLetter.firstFailureAt().toString())
                .build();
    }
}
