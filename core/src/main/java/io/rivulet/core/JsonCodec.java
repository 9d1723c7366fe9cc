package io.rivulet.core;

import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default codec: JSON through Jackson 3.
 *
 * <p>Polymorphic default typing is never enabled (it would let a payload choose which classes to
 * instantiate); unknown properties fail decoding so schema drift shows up as poison rather than
 * silently lost fields. Pass your own {@link JsonMapper} to change that.
 *
 * @param <T> the payload type
 */
public final class JsonCodec<T> implements Codec<T> {

    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JsonMapper mapper;
    private final Class<T> type;

    private JsonCodec(JsonMapper mapper, Class<T> type) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A codec for {@code type} with Rivulet's default mapper. */
    public static <T> JsonCodec<T> of(Class<T> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, type);
    }

    /** A codec for {@code type} with the given mapper. */
    public static <T> JsonCodec<T> of(Class<T> type, JsonMapper mapper) {
        return new JsonCodec<>(mapper, type);
    }

    @Override
    public byte[] encode(T payload) {
        try {
            return mapper.writeValueAsBytes(payload);
        } catch (JacksonException e) {
            throw new CodecException("Cannot encode a " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            T value = mapper.readValue(bytes, type);
            if (value == null) {
                throw new CodecException("JSON payload is null, expected a " + type.getName(), null);
            }
            return value;
        } catch (JacksonException e) {
            // The original message names the field and position but never echoes the payload.
            throw new CodecException("Cannot decode JSON as " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "json:" + type.getSimpleName();
    }
}
