package io.rivulet.core;

import java.util.Objects;

/**
 * Decides whether a handler failure is temporary, permanent or poison.
 *
 * <p>The {@link #defaults() default} treats {@link CodecException} as poison,
 * {@link PermanentException}, {@link IllegalArgumentException} and
 * {@link UnsupportedOperationException} as permanent, and anything else (timeouts, I/O) as
 * temporary. Causes are not unwrapped.
 */
@FunctionalInterface
public interface ErrorClassifier {

    /** Classifies a failure. Must not throw. */
    ErrorKind classify(Throwable error);

    /** The default classification described above. */
    static ErrorClassifier defaults() {
        return error -> {
            if (error instanceof CodecException) {
                return ErrorKind.POISON;
            }
            if (error instanceof PermanentException || error instanceof IllegalArgumentException
                    || error instanceof UnsupportedOperationException) {
                return ErrorKind.PERMANENT;
            }
            return ErrorKind.TEMPORARY;
        };
    }

    /** Returns a classifier that treats errors of {@code type} as {@code kind} and defers the rest to this one. */
    default ErrorClassifier with(Class<? extends Throwable> type, ErrorKind kind) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        return error -> type.isInstance(error) ? kind : classify(error);
    }
}
