package io.rivulet.core.internal.handle;

import io.rivulet.core.ErrorKind;
import io.rivulet.core.Message;
import java.time.Duration;

/** What to do with a message after a failed attempt. */
record RetryDecision(Kind kind, String reason, Duration backoff) {

    static final String EXHAUSTED = "max attempts exhausted";
    static final String PERMANENT = "permanent failure";
    static final String POISON = "poison";

    enum Kind { DEAD_LETTER, RETRY_IN_PROCESS, RETRY_DURABLE }

    /** Decides after attempt {@code attempt} of {@code message} failed with {@code error}. */
    static RetryDecision after(HandleSettings<?> s, Message<?> message, int attempt, Throwable error) {
        ErrorKind kind = classify(s, error);
        if (kind == ErrorKind.POISON) {
            return new RetryDecision(Kind.DEAD_LETTER, POISON, null);
        }
        if (kind == ErrorKind.PERMANENT) {
            return new RetryDecision(Kind.DEAD_LETTER, PERMANENT, null);
        }
        if (attempt >= s.policy().maxAttemptsFor(message)) {
            return new RetryDecision(Kind.DEAD_LETTER, EXHAUSTED, null);
        }
        Duration backoff = s.policy().backoff(attempt);
        return new RetryDecision(s.policy().waitsInProcess(backoff) ? Kind.RETRY_IN_PROCESS : Kind.RETRY_DURABLE,
                null, backoff);
    }

    private static ErrorKind classify(HandleSettings<?> s, Throwable error) {
        try {
            ErrorKind kind = s.classifier().classify(error);
            return kind != null ? kind : ErrorKind.TEMPORARY;
        } catch (RuntimeException e) {
            // A broken classifier must not crash the consumer; retrying is the safe default.
            return ErrorKind.TEMPORARY;
        }
    }
}
