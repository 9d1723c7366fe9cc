package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void messageWithoutHeadersOrTagsHasEmptyUnmodifiableOnes() {
        Message<String> m = Message.of("x");
        assertThat(m.headers()).isEmpty();
        assertThat(m.tags()).isEmpty();
        assertThat(m.headers().get("missing")).isNull();
        assertThatThrownBy(() -> m.headers().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.tags().add("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copyFromToBuilderNeverChangesTheOriginal() {
        Message<String> original = Message.builder("x").header("a", "1").tags("t1").build();
        Message<String> changed = original.toBuilder().header("b", "2").tags("t2").build();
        assertThat(original.headers()).containsExactly(java.util.Map.entry("a", "1"));
        assertThat(original.tags()).containsExactly("t1");
        assertThat(changed.headers()).containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"));
        assertThat(changed.tags()).containsExactly("t1", "t2");
        assertThat(changed.id()).isEqualTo(original.id());
    }

    @Test
    void builderWritesAfterBuildDoNotLeakIntoTheBuiltMessage() {
        Message.Builder<String> b = Message.builder("x").header("a", "1");
        Message<String> first = b.build();
        b.header("b", "2").tags("t");
        assertThat(first.headers()).containsOnlyKeys("a");
        assertThat(first.tags()).isEmpty();
    }

    @Test
    void generatedIdsDiffer() {
        assertThat(Message.of("x").id()).isNotEqualTo(Message.of("x").id());
    }
}
