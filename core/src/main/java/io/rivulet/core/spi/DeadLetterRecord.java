package io.rivulet.core.spi;

/**
 * Why a delivery is being dead-lettered; the backend adds the times, the original message and
 * the replay count to make a {@link io.rivulet.core.DeadLetter}.
 *
 * @param reason short reason, e.g. {@code "max attempts exhausted"} or {@code "poison"}
 * @param errorClass the error's class name, or {@code null}
 * @param errorMessage the error's message, or {@code null}
 * @param attempts how many attempts the message had when it failed: its delivery attempt plus any
 *     retries an operator made in-process; at least 1
 */
public record DeadLetterRecord(String reason, String errorClass, String errorMessage, int attempts) {

    /** Validates the record. */
    public DeadLetterRecord {
        java.util.Objects.requireNonNull(reason, "reason");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }

    /** A record for a reason, an error (may be {@code null}) and the attempts made. */
    public static DeadLetterRecord of(String reason, Throwable error, int attempts) {
        return new DeadLetterRecord(reason,
                error == null ? null : error.getClass().getName(),
                error == null ? null : error.getMessage(),
                attempts);
    }
}
