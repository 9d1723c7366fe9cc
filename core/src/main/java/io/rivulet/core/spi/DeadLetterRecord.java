package io.rivulet.core.spi;

/**
 * Why a delivery is being dead-lettered; the backend adds the times, the original message and
 * the replay count to make a {@link io.rivulet.core.DeadLetter}.
 *
 * @param reason short reason, e.g. {@code "max attempts exhausted"} or {@code "poison"}
 * @param errorClass the error's class name, or {@code null}
 * @param errorMessage the error's message, or {@code null}
 */
public record DeadLetterRecord(String reason, String errorClass, String errorMessage) {

    /** A record for an error (may be {@code null}) and a reason. */
    public static DeadLetterRecord of(String reason, Throwable error) {
        return new DeadLetterRecord(reason,
                error == null ? null : error.getClass().getName(),
                error == null ? null : error.getMessage());
    }
}
