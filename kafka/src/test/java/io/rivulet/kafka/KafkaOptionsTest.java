package io.rivulet.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    private static KafkaOptions.Builder valid() {
        return KafkaOptions.builder().bootstrapServers("127.0.0.1:9092");
    }

    @Test
    void defaultsAreDocumentedConstants() {
        KafkaOptions o = valid().build();
        assertThat(o.partitions()).isEqualTo(KafkaOptions.DEFAULT_PARTITIONS);
        assertThat(o.delayTiers()).isEqualTo(KafkaOptions.DEFAULT_DELAY_TIERS);
        assertThat(o.prefetch()).isEqualTo(KafkaOptions.DEFAULT_PREFETCH);
        assertThat(o.consumerGroup()).isEqualTo(KafkaOptions.DEFAULT_CONSUMER_GROUP);
        assertThat(o.autoCreateTopics()).isTrue();
        assertThat(o.mutate().build().toString()).isEqualTo(o.toString());
    }

    @Test
    void bootstrapServersAreRequiredAndChecked() {
        assertThatThrownBy(() -> KafkaOptions.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KafkaOptions.bootstrapServers");
        assertThatThrownBy(() -> KafkaOptions.builder().bootstrapServers("localhost").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KafkaOptions.bootstrapServers")
                .hasMessageContaining("host:port");
    }

    @Test
    void badNumbersNameTheirOption() {
        assertThatThrownBy(() -> valid().partitions(0).build()).hasMessageContaining("KafkaOptions.partitions");
        assertThatThrownBy(() -> valid().prefetch(0).build()).hasMessageContaining("KafkaOptions.prefetch");
        assertThatThrownBy(() -> valid().replicationFactor(0)).hasMessageContaining("KafkaOptions.replicationFactor");
        assertThatThrownBy(() -> valid().delayTiers().build()).hasMessageContaining("KafkaOptions.delayTiers");
        assertThatThrownBy(() -> valid().delayTiers(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("KafkaOptions.delayTiers");
        assertThatThrownBy(() -> valid().consumerGroup("no spaces").build())
                .hasMessageContaining("KafkaOptions.consumerGroup");
        assertThatThrownBy(() -> valid().visibilityTimeout(Duration.ZERO).build())
                .hasMessageContaining("KafkaOptions.visibilityTimeout");
    }

    @Test
    void saslNeedsAKnownMechanismAndCredentials() {
        assertThatThrownBy(() -> valid().sasl("GSSAPI", "u", "p").build()).hasMessageContaining("KafkaOptions.sasl");
        assertThatThrownBy(() -> valid().sasl("PLAIN", "u", null).build()).hasMessageContaining("KafkaOptions.sasl");
    }

    @Test
    void toStringNeverShowsPasswords() {
        KafkaOptions o = valid().sasl("PLAIN", "app", "s3cret-pw").tls("/tmp/trust.p12", "store-pw").build();
        assertThat(o.toString()).contains("app").doesNotContain("s3cret-pw").doesNotContain("store-pw");
    }

    @Test
    void tiersAreSortedShortestFirst() {
        assertThat(valid().delayTiers(Duration.ofMinutes(1), Duration.ofSeconds(1)).build().delayTiers())
                .containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }
}
