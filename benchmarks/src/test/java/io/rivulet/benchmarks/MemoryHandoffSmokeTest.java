package io.rivulet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs each benchmark pipeline once without JMH, so {@code verify} keeps them working. */
class MemoryHandoffSmokeTest {

    private static final int MESSAGES = 10_000;

    @Test
    void rivuletPipelineAcksEveryMessage() throws InterruptedException {
        try (Handoff h = new RivuletHandoff()) {
            assertThat(h.run(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(h.run(MESSAGES)).as("a second run on the same broker").isEqualTo(MESSAGES);
        }
    }

    @Test
    void bareSinksPipelineAcksEveryMessage() throws InterruptedException {
        try (Handoff h = new SinksHandoff()) {
            assertThat(h.run(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(h.run(MESSAGES)).isEqualTo(MESSAGES);
        }
    }
}
