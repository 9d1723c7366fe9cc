package io.rivulet.core;

/** How a handler failure is treated. */
public enum ErrorKind {
    /** Worth retrying: the message is redelivered with backoff until its attempts run out. */
    TEMPORARY,
    /** Retrying cannot help: the message is dead-lettered at once. */
    PERMANENT,
    /** The message itself is unprocessable (undecodable): dead-lettered at once, never crashing the consumer. */
    POISON
}
