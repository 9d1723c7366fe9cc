package io.rivulet.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** A message written as a record reads back as the same message. */
class EnvelopeTest {

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> p, long offset) {
        return new ConsumerRecord<>(p.topic(), 0, offset, p.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                p.key(), p.value(), p.headers(), Optional.empty());
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        Message<byte[]> sent = Message.builder("body".getBytes(StandardCharsets.UTF_8))
                .id("m-1").topic("orders").key("customer-7").priority(7)
                .createdAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .availableAt(Instant.ofEpochMilli(1_700_000_060_000L))
                .maxAttempts(4).timeout(Duration.ofSeconds(9)).tags("a", "b").dedupKey("d-1")
                .header("trace", "t-1").header("rivulet-not-reserved", "x")
                .build();
        ProducerRecord<byte[], byte[]> record = Envelope.record("orders.delay.1000ms", sent, 2, 1_700_000_000_500L);

        Message<byte[]> read = Envelope.message("orders", consumed(record, 42));

        assertThat(read.id()).isEqualTo("m-1");
        assertThat(read.topic()).isEqualTo("orders");
        assertThat(read.key()).isEqualTo("customer-7");
        assertThat(read.payload()).isEqualTo(sent.payload());
        assertThat(read.priority()).isEqualTo(7);
        assertThat(read.createdAt()).isEqualTo(sent.createdAt());
        assertThat(read.availableAt()).isEqualTo(sent.availableAt());
        assertThat(read.maxAttempts()).isEqualTo(4);
        assertThat(read.timeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(read.tags()).containsExactly("a", "b");
        assertThat(read.dedupKey()).isEqualTo("d-1");
        assertThat(read.headers()).containsOnly(
                org.assertj.core.api.Assertions.entry("trace", "t-1"),
                org.assertj.core.api.Assertions.entry("rivulet-not-reserved", "x"));
        assertThat(Envelope.delivered(consumed(record, 42))).isEqualTo(2);
        assertThat(record.timestamp()).isEqualTo(1_700_000_000_500L);
    }

    @Test
    void aForeignRecordGetsItsIdFromItsPositionAndItsTimeFromItsTimestamp() {
        ProducerRecord<byte[], byte[]> foreign = new ProducerRecord<>("orders", null, 1_234L, null,
                "x".getBytes(StandardCharsets.UTF_8), new RecordHeaders().add("trace", null));

        Message<byte[]> read = Envelope.message("orders", consumed(foreign, 17));

        assertThat(read.id()).isEqualTo("orders-0-17");
        assertThat(read.createdAt()).isEqualTo(Instant.ofEpochMilli(1_234L));
        assertThat(read.headers()).containsEntry("trace", "");
        assertThat(read.key()).isNull();
    }

    @Test
    void timeHeadersReadLikeLongParseLong() {
        assertThat(Envelope.millis("0".getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(Envelope.millis("1700000000123".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1_700_000_000_123L);
        assertThat(Envelope.millis("-5".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-5L);
        assertThat(Envelope.millis("9223372036854775807".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Envelope.millis("12a".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Envelope.millis(new byte[0])).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Envelope.millis(null)).isInstanceOf(NumberFormatException.class);
    }
}
