package io.rivulet.core;

/**
 * Turns payloads into bytes and back. Implementations must be thread-safe and must not block.
 *
 * @param <T> the payload type
 */
public interface Codec<T> {

    /** Encodes a payload; throws {@link CodecException} if it cannot. */
    byte[] encode(T payload);

    /** Decodes bytes; throws {@link CodecException} if they are not a valid payload (poison). */
    T decode(byte[] bytes);

    /** A short description for error messages, such as {@code "json:OrderCreated"}. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
