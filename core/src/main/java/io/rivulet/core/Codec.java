package io.rivulet.core;

import io.rivulet.core.internal.BytesCodec;

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

    /**
     * The identity codec: payloads are their bytes, unchanged, never poison. For payloads already
     * encoded elsewhere, and for benchmarks that should not measure serialization.
     */
    static Codec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }
}

