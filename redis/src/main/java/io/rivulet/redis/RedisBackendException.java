package io.rivulet.redis;

import io.rivulet.core.RivuletException;

/**
 * Redis refused or could not do what Rivulet asked: unreachable, wrong credentials, TLS mismatch,
 * a key of the wrong type, or no answer in time. The message names the Redis address and the
 * {@link RedisOptions} setting to check; it never contains a password.
 */
public class RedisBackendException extends RivuletException {

    private static final long serialVersionUID = 1L;

    /** An error with a message and its cause. */
    public RedisBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
