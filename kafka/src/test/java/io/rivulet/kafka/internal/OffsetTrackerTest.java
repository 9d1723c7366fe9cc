package io.rivulet.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static OffsetTracker<String> fetched(long... offsets) {
        OffsetTracker<String> t = new OffsetTracker<>();
        for (long o : offsets) {
            t.fetched(o, "r" + o);
        }
        return t;
    }

    @Test
    void inOrderSettlementCommitsEachRecord() {
        OffsetTracker<String> t = fetched(0, 1, 2);
        assertThat(t.committable()).isEqualTo(-1);
        assertThat(t.settle(0)).isEqualTo("r0");
        assertThat(t.committable()).isEqualTo(1);
        assertThat(t.settle(1)).isEqualTo("r1");
        assertThat(t.settle(2)).isEqualTo("r2");
        assertThat(t.committable()).isEqualTo(3);
    }

    @Test
    void laterRecordsSettledFirstNeverCommitPastTheUnsettledOne() {
        OffsetTracker<String> t = fetched(0, 1, 2, 3);
        assertThat(t.settle(3)).isNull();
        assertThat(t.settle(1)).isNull();
        assertThat(t.settle(2)).isNull();
        assertThat(t.committable()).isEqualTo(-1);
        assertThat(t.settledAbove()).isEqualTo(3);
        assertThat(t.oldestUnsettled()).isZero();

        assertThat(t.settle(0)).isEqualTo("r3");
        assertThat(t.committable()).isEqualTo(4);
        assertThat(t.settledAbove()).isZero();
    }

    @Test
    void gapInTheMiddleHoldsTheOffsetAtTheGap() {
        OffsetTracker<String> t = fetched(5, 6, 7, 8);
        t.settle(5);
        t.settle(7);
        t.settle(8);
        assertThat(t.committable()).isEqualTo(6);
        assertThat(t.isPending(6)).isTrue();
        assertThat(t.settle(6)).isEqualTo("r8");
        assertThat(t.committable()).isEqualTo(9);
    }

    @Test
    void offsetsWithHolesFromCompactionOrMarkersAreFine() {
        OffsetTracker<String> t = fetched(10, 13, 20);
        t.settle(20);
        t.settle(10);
        assertThat(t.committable()).isEqualTo(11);
        t.settle(13);
        assertThat(t.committable()).isEqualTo(21);
    }

    @Test
    void settlingTwiceOrAnUnknownOffsetChangesNothing() {
        OffsetTracker<String> t = fetched(0, 1);
        t.settle(1);
        assertThat(t.settle(1)).isNull();
        assertThat(t.settle(42)).isNull();
        assertThat(t.settledAbove()).isEqualTo(1);
        assertThat(t.committable()).isEqualTo(-1);
    }

    @Test
    void offsetsMustGrow() {
        OffsetTracker<String> t = fetched(3);
        assertThatThrownBy(() -> t.fetched(3, "again")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("grow");
    }
}
