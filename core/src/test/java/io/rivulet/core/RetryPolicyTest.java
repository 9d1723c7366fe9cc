package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static RetryPolicy.Builder exact() {
        return RetryPolicy.builder().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
                .multiplier(2.0).jitter(0);
    }

    @Test
    void defaultsMatchTheDocumentedConstants() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.multiplier()).isEqualTo(2.0);
        assertThat(p.initialBackoff()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF);
        assertThat(p.inProcessLimit()).isEqualTo(RetryPolicy.DEFAULT_IN_PROCESS_LIMIT);
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCap() {
        RetryPolicy p = exact().build();
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(500)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitteredBackoffStaysWithinItsSpreadAndTheCap() {
        RetryPolicy p = exact().jitter(0.5).build();
        boolean varied = false;
        for (int i = 0; i < 2_000; i++) {
            long b = p.backoff(2).toMillis();
            assertThat(b).isBetween(100L, 300L);
            assertThat(p.backoff(4).toMillis()).isBetween(400L, 1000L);
            varied |= b != 200;
        }
        assertThat(varied).isTrue();
    }

    @Test
    void shortWaitsAreInProcessAndLongOnesDurable() {
        RetryPolicy p = exact().inProcessLimit(Duration.ofMillis(200)).build();
        assertThat(p.waitsInProcess(p.backoff(1))).isTrue();
        assertThat(p.waitsInProcess(p.backoff(2))).isTrue();
        assertThat(p.waitsInProcess(p.backoff(3))).isFalse();
    }

    @Test
    void messageMaxAttemptsWinsWhenSet() {
        RetryPolicy p = exact().maxAttempts(5).build();
        assertThat(p.maxAttemptsFor(Message.of("x"))).isEqualTo(5);
        assertThat(p.maxAttemptsFor(Message.builder("x").maxAttempts(2).build())).isEqualTo(2);
    }

    @Test
    void mutateCopiesEveryParameter() {
        RetryPolicy p = exact().maxAttempts(7).inProcessLimit(Duration.ofMillis(5)).build();
        assertThat(p.mutate().build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(p.mutate().maxAttempts(2).build().maxAttempts()).isEqualTo(2);
        assertThat(p.maxAttempts()).isEqualTo(7);
    }

    @Test
    void invalidParametersAreRejectedByName() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofMillis(-1)).build())
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(1)).build()).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN).build())
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build()).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(-0.1).build()).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.builder().inProcessLimit(null).build())
                .hasMessageContaining("inProcessLimit");
        assertThatThrownBy(() -> exact().build().backoff(0)).hasMessageContaining("failedAttempt");
    }
}
