package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.memory.MemoryBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BytesCodecTest {

    @Test
    void bytesCodecPassesPayloadsThroughUnchanged() {
        byte[] payload = {0, 1, 2, (byte) 0xff};
        Codec<byte[]> codec = Codec.bytes();

        assertThat(codec.encode(payload)).isSameAs(payload);
        assertThat(codec.decode(payload)).isSameAs(payload);
        assertThat(codec.describe()).isEqualTo("bytes");
    }

    @Test
    void anyBytesArriveAsPublishedAndAreNeverPoison() {
        Broker broker = MemoryBroker.create();
        try {
            Queue<byte[]> queue = broker.queue("codec.bytes", Codec.bytes());
            queue.publish(new byte[] {'{', (byte) 0xc3, 0}).block(Duration.ofSeconds(5));

            Delivery<byte[]> d = queue.consume().blockFirst(Duration.ofSeconds(5));

            assertThat(d.message().payload()).containsExactly('{', (byte) 0xc3, 0);
            assertThat(queue.deadLetters().count().block(Duration.ofSeconds(5))).isZero();
        } finally {
            broker.close().block(Duration.ofSeconds(5));
        }
    }
}
