package io.rivulet.benchmarks;

import io.rivulet.core.Codec;

/** The identity codec: benchmark payloads already are bytes, so JSON is not what is measured. */
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
