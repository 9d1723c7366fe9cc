package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.memory.MemoryBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class WorkerOptionsTest {

    @Test
    void defaultsAreDocumented() {
        WorkerOptions o = WorkerOptions.defaults();
        assertThat(o.name()).isNull();
        assertThat(o.stopTimeout()).isEqualTo(WorkerOptions.DEFAULT_STOP_TIMEOUT);
        assertThat(o.keyOrdered()).isFalse();
        assertThat(o.handleOptions().concurrency()).isEqualTo(HandleOptions.DEFAULT_CONCURRENCY);
        assertThat(o.consumeOptions().prefetch()).isEqualTo(ConsumeOptions.DEFAULT_PREFETCH);
    }

    @Test
    void mutateCopiesAndConcurrencyShorthandKeepsOtherHandleOptions() {
        WorkerOptions o = WorkerOptions.builder().name("mailer").keyOrdered(true)
                .handleOptions(HandleOptions.builder().timeout(Duration.ofSeconds(3)).build())
                .concurrency(5)
                .build();
        WorkerOptions copy = o.mutate().stopTimeout(Duration.ofSeconds(1)).build();
        assertThat(copy.name()).isEqualTo("mailer");
        assertThat(copy.keyOrdered()).isTrue();
        assertThat(copy.handleOptions().concurrency()).isEqualTo(5);
        assertThat(copy.handleOptions().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(copy.stopTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.stopTimeout()).isEqualTo(WorkerOptions.DEFAULT_STOP_TIMEOUT);
    }

    @Test
    void invalidSettingsAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> WorkerOptions.builder().name(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WorkerOptions.name");
        assertThatThrownBy(() -> WorkerOptions.builder().stopTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WorkerOptions.stopTimeout");
        assertThatThrownBy(() -> WorkerOptions.builder().stopTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("stopTimeout");
    }

    @Test
    void poolsNeedAtLeastOneWorker() {
        Broker broker = MemoryBroker.create();
        try {
            Queue<String> queue = broker.queue("pool.size", String.class);
            Handler<String> handler = m -> Mono.empty();
            assertThatThrownBy(() -> WorkerPool.of(0, queue, handler, WorkerOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
            assertThatThrownBy(() -> WorkerPool.of("empty", List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one worker");
            WorkerPool named = WorkerPool.of(2, queue, handler, WorkerOptions.builder().name("mailer").build());
            assertThat(named.name()).isEqualTo("mailer");
            assertThat(named.workers()).extracting(Worker::name).containsExactly("mailer-1", "mailer-2");
            assertThat(named.stats().status()).isEqualTo(Worker.Status.NEW);
        } finally {
            broker.close().block(Duration.ofSeconds(5));
        }
    }
}
