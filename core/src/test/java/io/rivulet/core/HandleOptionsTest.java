package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

class HandleOptionsTest {

    @Test
    void handleDefaults() {
        HandleOptions o = HandleOptions.defaults();
        assertThat(o.concurrency()).isEqualTo(HandleOptions.DEFAULT_CONCURRENCY);
        assertThat(o.timeout()).isNull();
        assertThat(o.retryPolicy()).isEqualTo(RetryPolicy.defaults());
        assertThat(o.deadLetterSink()).isSameAs(DeadLetterSink.backend());
        assertThat(o.scheduler()).isSameAs(Schedulers.parallel());
    }

    @Test
    void handleMutateKeepsTheRest() {
        HandleOptions o = HandleOptions.builder().concurrency(3).timeout(Duration.ofSeconds(2)).build();
        HandleOptions m = o.mutate().concurrency(5).build();
        assertThat(m.concurrency()).isEqualTo(5);
        assertThat(m.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.concurrency()).isEqualTo(3);
    }

    @Test
    void handleValidationNamesTheParameter() {
        assertThatThrownBy(() -> HandleOptions.builder().concurrency(0).build())
                .hasMessageContaining("HandleOptions.concurrency");
        assertThatThrownBy(() -> HandleOptions.builder().timeout(Duration.ZERO).build())
                .hasMessageContaining("HandleOptions.timeout");
        assertThatThrownBy(() -> HandleOptions.builder().retryPolicy(null).build())
                .hasMessageContaining("HandleOptions.retryPolicy");
        assertThatThrownBy(() -> HandleOptions.builder().errorClassifier(null).build())
                .hasMessageContaining("HandleOptions.errorClassifier");
        assertThatThrownBy(() -> HandleOptions.builder().deadLetterSink(null).build())
                .hasMessageContaining("HandleOptions.deadLetterSink");
        assertThatThrownBy(() -> HandleOptions.builder().scheduler(null).build())
                .hasMessageContaining("HandleOptions.scheduler");
    }

    @Test
    void batchDefaultsFollowTheGoFramework() {
        BatchOptions o = BatchOptions.defaults();
        assertThat(o.maxSize()).isEqualTo(100);
        assertThat(o.maxWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.handleOptions().concurrency()).isEqualTo(1);
        assertThat(o.handleOptions().retryPolicy()).isEqualTo(RetryPolicy.defaults());
        assertThat(o.mutate().maxSize(7).build().maxWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void batchValidationNamesTheParameter() {
        assertThatThrownBy(() -> BatchOptions.builder().maxSize(0).build()).hasMessageContaining("BatchOptions.maxSize");
        assertThatThrownBy(() -> BatchOptions.builder().maxWait(Duration.ZERO).build())
                .hasMessageContaining("BatchOptions.maxWait");
        assertThatThrownBy(() -> BatchOptions.builder().maxWait(null).build())
                .hasMessageContaining("BatchOptions.maxWait");
        assertThatThrownBy(() -> BatchOptions.builder().handleOptions(null).build())
                .hasMessageContaining("BatchOptions.handleOptions");
    }
}
