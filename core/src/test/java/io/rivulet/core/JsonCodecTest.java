package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

class JsonCodecTest {

    private static final String SECRET = "hunter2-s3cr3t";

    /** A payload type. */
    public record Order(String id, int quantity, List<Line> lines) {
    }

    /** A nested payload type. */
    public record Line(String sku, int count) {
    }

    private final JsonCodec<Order> codec = JsonCodec.of(Order.class);

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripKeepsEveryField() {
        Order order = new Order("o-1", 3, List.of(new Line("sku-1", 2)));
        assertThat(codec.decode(codec.encode(order))).isEqualTo(order);
        assertThat(codec.describe()).isEqualTo("json:Order");
    }

    @Test
    void unknownPropertyIsACodecErrorNamingTypeAndPath() {
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> codec.decode(json("{\"id\":\"o-1\",\"quantity\":1,\"lines\":[],\"extra\":\"" + SECRET + "\"}")));
        assertThat(e.getMessage()).contains(Order.class.getName()).contains("unknown property")
                .contains("$.extra").doesNotContain(SECRET);
    }

    @Test
    void valueOfTheWrongTypeIsACodecErrorWithPathAndPosition() {
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> codec.decode(json("{\"id\":\"o-1\",\n\"quantity\":\"" + SECRET + "\",\"lines\":[]}")));
        assertThat(e.getMessage()).contains(Order.class.getName()).contains("wrong type")
                .contains("$.quantity").contains("line 2").doesNotContain(SECRET);
    }

    @Test
    void errorsNeverEchoPayloadContentNorKeepJacksonsMessageAsCause() {
        List<String> bad = List.of(
                "{\"id\":\"o-1\",\"quantity\":1,\"lines\":[{\"sku\":\"a\",\"count\":\"" + SECRET + "\"}]}",
                "{\"id\":" + SECRET + "}",
                SECRET,
                "{\"id\":\"o-1\",\"quantity\":" + SECRET.replaceAll("[^0-9]", "") + "9999999999999}",
                "[\"" + SECRET + "\"]",
                "{\"" + SECRET + " with spaces\":1}");
        for (String payload : bad) {
            Throwable e = catchThrowableOfType(CodecException.class, () -> codec.decode(json(payload)));
            assertThat(e).as(payload).isNotNull();
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).as(payload).doesNotContain(SECRET).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void nestedPathsShowIndexes() {
        CodecException e = catchThrowableOfType(CodecException.class, () -> codec.decode(
                json("{\"id\":\"o-1\",\"quantity\":1,\"lines\":[{\"sku\":\"a\",\"count\":1},{\"sku\":\"b\",\"count\":\"x\"}]}")));
        assertThat(e.getMessage()).contains("$.lines[1].count");
    }

    @Test
    void nullHandling() {
        assertThatThrownBy(() -> codec.decode(json("null"))).isInstanceOf(CodecException.class)
                .hasMessageContaining("null").hasMessageContaining(Order.class.getName());
        assertThatThrownBy(() -> codec.decode(json(""))).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(CodecException.class);
        Order withNulls = new Order(null, 0, null);
        assertThat(codec.decode(codec.encode(withNulls))).isEqualTo(withNulls);
    }

    @Test
    void malformedJsonIsACodecError() {
        assertThatThrownBy(() -> codec.decode(json("{\"id\":")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(Order.class.getName());
    }

    @Test
    void defaultMapperNeverUsesDefaultTypingAndMappersThatDoAreRefused() {
        JsonMapper typed = JsonMapper.builder()
                .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                        DefaultTyping.NON_FINAL)
                .build();
        assertThatThrownBy(() -> JsonCodec.of(Object.class, typed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default typing");
        // A plain Object payload decodes to maps and lists, never to a class named in the payload.
        Object decoded = JsonCodec.of(Object.class).decode(json("[\"java.util.Date\", 0]"));
        assertThat(decoded).isInstanceOf(List.class);
    }
}
