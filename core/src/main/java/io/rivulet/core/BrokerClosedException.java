package io.rivulet.core;

/** An operation was attempted on a broker after {@link Broker#close()}. */
public class BrokerClosedException extends RivuletException {

    /** An error naming the backend and what was attempted. */
    public BrokerClosedException(String message) {
        super(message);
    }
}
