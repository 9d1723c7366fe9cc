package io.rivulet.core;

/** A payload could not be encoded or decoded. On the consumer side the message is poison. */
public class CodecException extends RivuletException {

    /** An error with a message and its cause. */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
