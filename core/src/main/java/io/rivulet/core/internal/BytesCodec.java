package io.rivulet.core.internal;

import io.rivulet.core.Codec;

/** {@link Codec#bytes()}: payloads are their bytes. */
public final class BytesCodec implements Codec<byte[]> {

    /** The one instance. */
    public static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public byte[] encode(byte[] payload) {
        return payload;
    }

    @Override
    public byte[] decode(byte[] bytes) {
        return bytes;
    }

    @Override
    public String describe() {
        return "bytes";
    }
}
