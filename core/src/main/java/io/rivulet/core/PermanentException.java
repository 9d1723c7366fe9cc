package io.rivulet.core;

/**
 * A handler failure that retrying cannot fix: the message is dead-lettered at once.
 * Throw it (or a subclass) from a handler, or classify other errors as permanent with an
 * {@link ErrorClassifier}.
 */
public class PermanentException extends RivuletException {

    /** A permanent failure with a message. */
    public PermanentException(String message) {
        super(message);
    }

    /** A permanent failure with a message and cause. */
    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
