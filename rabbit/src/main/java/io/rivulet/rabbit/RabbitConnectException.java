package io.rivulet.rabbit;

/**
 * Opening the connection to RabbitMQ failed; the message says where, why, and which
 * {@link RabbitOptions} setting to check (never the password).
 */
public final class RabbitConnectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with its message and cause. */
    public RabbitConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
