package io.rivulet.core;

import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default codec: JSON through Jackson 3.
 *
 * <p>Polymorphic default typing is never enabled (it would let a payload choose which classes to
 * instantiate): the default mapper does not enable it and {@link #of(Class, JsonMapper)} refuses a
 * mapper that does. Unknown properties fail decoding so schema drift shows up as poison rather
 * than silently lost fields; pass your own {@link JsonMapper} to change that.
 *
 * <p>Errors are {@link CodecException}s that say what failed, for which type and where (line,
 * column and JSON path) but never echo payload content: Jackson's own messages quote the offending
 * tokens, so they are not copied, and the Jackson exception is not kept as the cause, since causes
 * end up in logs and dead letters. Property names in the path are shown only when they look like
 * identifiers.
 *
 * @param <T> the payload type
 */
public final class JsonCodec<T> implements Codec<T> {

    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]{0,63}");

    private final JsonMapper mapper;
    private final Class<T> type;

    private JsonCodec(JsonMapper mapper, Class<T> type) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = Objects.requireNonNull(type, "type");
        if (mapper.deserializationConfig().getDefaultTyper(mapper.constructType(type)) != null) {
            throw new IllegalArgumentException("JsonCodec refuses a JsonMapper with default typing enabled for "
                    + type.getName() + ": it lets payloads choose classes to instantiate. Use @JsonTypeInfo with "
                    + "an allow-list on the type instead");
        }
    }

    /** A codec for {@code type} with Rivulet's default mapper. */
    public static <T> JsonCodec<T> of(Class<T> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, type);
    }

    /**
     * A codec for {@code type} with the given mapper.
     *
     * @throws IllegalArgumentException if the mapper has default typing enabled for {@code type}
     */
    public static <T> JsonCodec<T> of(Class<T> type, JsonMapper mapper) {
        return new JsonCodec<>(mapper, type);
    }

    @Override
    public byte[] encode(T payload) {
        if (payload == null) {
            throw new CodecException("Cannot encode a null " + type.getName() + " as JSON", null);
        }
        try {
            return mapper.writeValueAsBytes(payload);
        } catch (JacksonException e) {
            throw new CodecException("Cannot encode a " + type.getName() + " as JSON: " + describe(e), null);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new CodecException("Cannot decode a null byte array as " + type.getName(), null);
        }
        T value;
        try {
            value = mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new CodecException("Cannot decode JSON as " + type.getName() + ": " + describe(e), null);
        }
        if (value == null) {
            throw new CodecException("JSON payload is null (or empty), expected a " + type.getName(), null);
        }
        return value;
    }

    @Override
    public String describe() {
        return "json:" + type.getSimpleName();
    }

    /** What went wrong and where, from the exception's type, path and location only. */
    private static String describe(JacksonException e) {
        StringBuilder s = new StringBuilder(what(e));
        String path = path(e);
        if (!path.isEmpty()) {
            s.append(" at ").append(path);
        }
        TokenStreamLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            s.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr()).append(')');
        }
        return s.toString();
    }

    private static String what(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown property";
        }
        if (e instanceof InvalidDefinitionException d) {
            return "the type cannot be mapped (" + (d.getType() == null ? "?" : d.getType().getRawClass().getName())
                    + "): check its constructors and accessors";
        }
        if (e instanceof MismatchedInputException m) {
            return m.getTargetType() == null ? "value of the wrong type or shape"
                    : "value of the wrong type or shape, expected " + m.getTargetType().getSimpleName();
        }
        if (e instanceof StreamReadException) {
            return "malformed JSON";
        }
        return e.getClass().getSimpleName();
    }

    private static String path(JacksonException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("$");
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                s.append('.').append(IDENTIFIER.matcher(r.getPropertyName()).matches() ? r.getPropertyName() : "?");
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }
}
