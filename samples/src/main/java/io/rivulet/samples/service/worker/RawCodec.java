package io.rivulet.samples.service.worker;

import io.rivulet.core.Codec;

/**
 * Payloads as their bytes, unchanged: what the default handler and the admin publish endpoint use, so
 * that a payload of any format reaches the topic's own codec untouched and is never poison here.
 */
public final class RawCodec implements Codec<byte[]> {

    /** The one instance. */
    public static final RawCodec INSTANCE = new RawCodec();

    private RawCodec() {
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
        return "raw";
    }
}
