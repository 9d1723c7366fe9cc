package io.rivulet.core;

/** Publishing refused a message whose encoded payload is over the broker's limit; it was not stored. */
public class MessageTooLargeException extends RivuletException {

    /** An error naming the message, its size and the limit. */
    public MessageTooLargeException(String message) {
        super(message);
    }
}
