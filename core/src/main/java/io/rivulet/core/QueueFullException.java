package io.rivulet.core;

/** A bounded queue refused a message because it holds its maximum. */
public class QueueFullException extends RivuletException {

    /** An error naming the queue and its bound. */
    public QueueFullException(String message) {
        super(message);
    }
}
