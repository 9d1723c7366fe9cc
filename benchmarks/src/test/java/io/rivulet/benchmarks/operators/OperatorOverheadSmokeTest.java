package io.rivulet.benchmarks.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs both sides of every operator benchmark once, small, without JMH. */
class OperatorOverheadSmokeTest {

    @ParameterizedTest
    @ValueSource(strings = {"concurrently", "inKeyOrder", "batched", "retry"})
    void bothSidesSettleEveryDelivery(String operator) {
        OperatorOverhead bench = new OperatorOverhead();
        bench.operator = operator;
        bench.deliveries = 500;
        bench.setUp();
        assertThat(bench.rivulet()).isEqualTo(500);
        assertThat(bench.bare()).isEqualTo(500);
        assertThat(bench.rivulet()).as("a second run gets fresh deliveries and a fresh failing handler")
                .isEqualTo(500);
    }
}
