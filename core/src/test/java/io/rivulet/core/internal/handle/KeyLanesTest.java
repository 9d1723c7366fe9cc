package io.rivulet.core.internal.handle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.Message;
import org.junit.jupiter.api.Test;

class KeyLanesTest {

    @Test
    void aKeyAlwaysMapsToTheSameLaneWithinRange() {
        for (int i = 0; i < 1_000; i++) {
            int lane = KeyLanes.laneOf("customer-" + i, 7);
            assertThat(lane).isBetween(0, 6).isEqualTo(KeyLanes.laneOf("customer-" + i, 7));
        }
    }

    @Test
    void similarKeysSpreadOverEveryLane() {
        int[] counts = new int[8];
        for (int i = 0; i < 8_000; i++) {
            counts[KeyLanes.laneOf("k" + i, 8)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(700, 1300);
        }
    }

    @Test
    void messagesWithoutKeyUseTheirId() {
        Message<String> keyed = Message.builder("x").id("id-1").key("order-9").build();
        Message<String> unkeyed = Message.builder("x").id("order-9").build();
        assertThat(KeyLanes.laneOf(keyed, 16)).isEqualTo(KeyLanes.laneOf("order-9", 16));
        assertThat(KeyLanes.laneOf(unkeyed, 16)).isEqualTo(KeyLanes.laneOf("order-9", 16));
    }

    @Test
    void oneLaneTakesEverything() {
        assertThat(KeyLanes.laneOf("anything", 1)).isZero();
        assertThatThrownBy(() -> KeyLanes.laneOf("a", 0)).hasMessageContaining("lanes");
    }
}
