package io.rivulet.core.internal;

import io.rivulet.core.Message;
import java.time.Instant;

/**
 * Lets internal code reach {@link Message}'s private copy constructor, so publishing builds the
 * stored message in one allocation without widening {@code Message}'s public API. {@code Message}
 * installs the implementation when it is initialized, which happens before any message exists.
 */
public final class MessageAccess {

    /** What {@link Message} grants internal code. */
    @FunctionalInterface
    public interface Copier {
        /**
         * A copy of {@code message} carrying {@code payload}, {@code topic}, attempt 0 and
         * {@code createdAt}; every other field is shared.
         */
        <R> Message<R> stored(Message<?> message, R payload, String topic, Instant createdAt);
    }

    private static volatile Copier copier;

    private MessageAccess() {
    }

    /** Called once, by {@link Message}'s static initializer. */
    public static void install(Copier c) {
        if (copier != null) {
            throw new IllegalStateException("Message access is already installed");
        }
        copier = c;
    }

    /**
     * The message as a backend stores it: {@code payload} (the encoded bytes, non-null), the topic,
     * attempt 1 (that of its first delivery) and {@code createdAt}, in one copy.
     */
    public static <R> Message<R> stored(Message<?> message, R payload, String topic, Instant createdAt) {
        return copier.stored(message, payload, topic, createdAt);
    }
}
