package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchResultTest {

    @Test
    void allOkHasNoFailures() {
        assertThat(BatchResult.allOk().isAllOk()).isTrue();
        assertThat(BatchResult.allOk().failures()).isEmpty();
        assertThat(BatchResult.allOk().errorOf("x")).isNull();
    }

    @Test
    void failedNamesTheFailedIdsOnly() {
        IllegalStateException e = new IllegalStateException("locked");
        BatchResult r = BatchResult.failed("a", e);
        assertThat(r.isAllOk()).isFalse();
        assertThat(r.errorOf("a")).isSameAs(e);
        assertThat(r.errorOf("b")).isNull();
    }

    @Test
    void failuresAreCopiedAndUnmodifiable() {
        Map<String, Throwable> source = new HashMap<>(Map.of("a", new RuntimeException()));
        BatchResult r = BatchResult.failed(source);
        source.put("b", new RuntimeException());
        assertThat(r.failures()).containsOnlyKeys("a");
        assertThatThrownBy(() -> r.failures().put("c", new RuntimeException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(BatchResult.failed(Map.of())).isSameAs(BatchResult.allOk());
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> BatchResult.failed("a", null)).isInstanceOf(NullPointerException.class);
        Map<String, Throwable> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThatThrownBy(() -> BatchResult.failed(withNull)).isInstanceOf(NullPointerException.class);
    }
}
