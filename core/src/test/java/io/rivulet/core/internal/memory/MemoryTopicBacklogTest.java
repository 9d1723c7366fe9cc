package io.rivulet.core.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Message;
import io.rivulet.core.internal.MessageAccess;
import io.rivulet.core.memory.MemoryOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A backlog larger than the heap bound, published before anyone consumes it. */
class MemoryTopicBacklogTest {

    private static final String TOPIC = "backlog";
    private static final int MESSAGES = 20_000;

    private final MemoryBackend backend = new MemoryBackend(MemoryOptions.builder().heapBacklog(100).build());

    @AfterEach
    void close() {
        backend.close().block(Duration.ofSeconds(10));
    }

    private static Message<byte[]> message(int i) {
        byte[] payload = ByteBuffer.allocate(Integer.BYTES).putInt(i).array();
        return MessageAccess.stored(Message.of(payload), payload, TOPIC, Instant.now());
    }

    @Test
    void backlogWithNoConsumerIsFiledWithinTheHeapBoundAndDeliveredInOrder() {
        MemoryTopic topic = new MemoryTopic(TOPIC, backend);
        for (int i = 0; i < MESSAGES; i++) {
            topic.publish(message(i)).block();
        }
        // Filed while nobody consumes (not left as objects on the incoming stack): serialized,
        // with no more than the bound on the heap.
        assertThat(topic.spilledBytes()).isGreaterThan(MESSAGES / 2 * (long) Integer.BYTES);
        assertThat(topic.heapReadyCount()).isLessThanOrEqualTo(100);
        assertThat(topic.readyCount()).isEqualTo(MESSAGES);

        List<Integer> got = topic.consume(256)
                .concatMap(d -> d.ack().thenReturn(ByteBuffer.wrap(d.message().payload()).getInt()))
                .take(MESSAGES)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertThat(got).isEqualTo(IntStream.range(0, MESSAGES).boxed().toList());
        assertThat(topic.stats().completed()).isEqualTo(MESSAGES);
        assertThat(topic.spilledBytes()).isZero();
    }
}
