package io.rivulet.core;

/** Base class of the errors Rivulet signals. */
public class RivuletException extends RuntimeException {

    /** An error with a message that says what happened, to what, and what to do. */
    public RivuletException(String message) {
        super(message);
    }

    /** An error with a message and its cause. */
    public RivuletException(String message, Throwable cause) {
        super(message, cause);
    }
}
