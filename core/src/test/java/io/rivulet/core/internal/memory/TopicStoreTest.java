package io.rivulet.core.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Message;
import io.rivulet.core.internal.MessageAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's heap bound: ready entries beyond it are serialized off the heap and read back. */
class TopicStoreTest {

    private static final String TOPIC = "jobs";

    private static MemoryDelivery entry(String payload, int priority) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Message<byte[]> m = Message.builder(bytes).priority(priority).build();
        return new MemoryDelivery(MessageAccess.stored(m, bytes, TOPIC, Instant.now()), 1, Long.MIN_VALUE);
    }

    private static List<String> drain(TopicStore store) {
        List<String> out = new ArrayList<>();
        while (store.readyCount() > 0) {
            out.add(new String(store.pollReady().stored.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void entriesBeyondTheHeapBoundAreSerializedAndComeBackInOrder() {
        TopicStore store = new TopicStore(TOPIC, 3);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            published.add("m" + i);
            store.addReady(entry("m" + i, 0));
        }
        assertThat(store.readyCount()).isEqualTo(10);
        assertThat(store.heapReadyCount()).isEqualTo(3);
        assertThat(store.spilledBytes()).isPositive();
        assertThat(drain(store)).isEqualTo(published);
        assertThat(store.spilledBytes()).isZero();
        assertThat(store.heapReadyCount()).isZero();
    }

    @Test
    void everyFieldOfTheMessageSurvivesSerialization() {
        TopicStore store = new TopicStore(TOPIC, 0);
        Instant created = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        Message<byte[]> m = Message.builder(new byte[] {0, 1, -1, 127})
                .id("order-7")
                .topic("elsewhere")
                .header("trace", "a-1")
                .header("rivulet-origin", "ré✓")
                .key("clé-✓")
                .priority(7)
                .createdAt(created)
                .availableAt(created.plusMillis(5))
                .attempt(2)
                .maxAttempts(4)
                .timeout(Duration.ofMillis(1500))
                .tags("b", "a")
                .dedupKey("dk-1")
                .build();
        store.addReady(new MemoryDelivery(m, 3, Long.MIN_VALUE));
        assertThat(store.heapReadyCount()).isZero();

        MemoryDelivery back = store.pollReady();
        Message<byte[]> got = back.stored;
        assertThat(back.nextAttempt).isEqualTo(3);
        assertThat(got.id()).isEqualTo("order-7");
        assertThat(got.topic()).isEqualTo("elsewhere");
        assertThat(got.payload()).containsExactly(0, 1, -1, 127);
        assertThat(new ArrayList<>(got.headers().entrySet())).isEqualTo(new ArrayList<>(m.headers().entrySet()));
        assertThat(got.key()).isEqualTo("clé-✓");
        assertThat(got.priority()).isEqualTo(7);
        assertThat(got.createdAt()).isEqualTo(created);
        assertThat(got.availableAt()).isEqualTo(created.plusMillis(5));
        assertThat(got.attempt()).isEqualTo(2);
        assertThat(got.maxAttempts()).isEqualTo(4);
        assertThat(got.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(got.tags()).containsExactly("b", "a");
        assertThat(got.dedupKey()).isEqualTo("dk-1");
    }

    @Test
    void absentFieldsStayAbsent() {
        TopicStore store = new TopicStore(TOPIC, 0);
        Message<byte[]> m = Message.builder(new byte[0]).id("A-Non-Generated-Id").build();
        store.addReady(new MemoryDelivery(m, 1, Long.MIN_VALUE));
        Message<byte[]> got = store.pollReady().stored;
        assertThat(got.id()).isEqualTo("A-Non-Generated-Id");
        assertThat(got.topic()).isNull();
        assertThat(got.payload()).isEmpty();
        assertThat(got.headers()).isEmpty();
        assertThat(got.key()).isNull();
        assertThat(got.createdAt()).isNull();
        assertThat(got.availableAt()).isNull();
        assertThat(got.timeout()).isNull();
        assertThat(got.tags()).isEmpty();
        assertThat(got.dedupKey()).isEqualTo("A-Non-Generated-Id");
    }

    @Test
    void generatedIdAndTheStoresOwnTopicTakeLessThanTheIdText() {
        TopicStore store = new TopicStore(TOPIC, 0);
        MemoryDelivery e = entry("x".repeat(100), 0);
        String id = e.stored.id();
        store.addReady(e);
        // 36 characters of id text and the topic name would alone bring it to 4 + 100 + 36 + 4.
        assertThat(store.spilledBytes()).isLessThan(4 + 100 + 36);
        Message<byte[]> got = store.pollReady().stored;
        assertThat(got.id()).isEqualTo(id);
        assertThat(got.topic()).isEqualTo(TOPIC);
        assertThat(got.dedupKey()).isEqualTo(id);
    }

    @Test
    void upperCaseUuidIdIsKeptAsWritten() {
        TopicStore store = new TopicStore(TOPIC, 0);
        String id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
        store.addReady(new MemoryDelivery(Message.builder(new byte[1]).id(id).build(), 1, Long.MIN_VALUE));
        assertThat(store.pollReady().stored.id()).isEqualTo(id);
    }

    @Test
    void higherPriorityComesFirstAcrossHeapAndLog() {
        TopicStore store = new TopicStore(TOPIC, 2);
        store.addReady(entry("a", 0));
        store.addReady(entry("b", 0));
        store.addReady(entry("c", 0)); // beyond the bound: serialized
        store.addReady(entry("d", 5)); // the heap is full: serialized, in a log of its own priority
        store.addReady(entry("e", 0));
        assertThat(drain(store)).containsExactly("d", "a", "b", "c", "e");
    }

    @Test
    void publishOrderHoldsWhileTheHeapEmptiesBehindTheLog() {
        TopicStore store = new TopicStore(TOPIC, 2);
        store.addReady(entry("a", 0));
        store.addReady(entry("b", 0));
        store.addReady(entry("c", 0));
        assertThat(new String(store.pollReady().stored.payload(), StandardCharsets.UTF_8)).isEqualTo("a");
        // Room on the heap again, but "c" waits in the log: "d" must queue behind it.
        store.addReady(entry("d", 0));
        assertThat(drain(store)).containsExactly("b", "c", "d");
    }

    @Test
    void entryGivenBackGoesAheadOfTheSerializedOnes() {
        TopicStore store = new TopicStore(TOPIC, 0);
        store.addReady(entry("a", 0));
        store.addReady(entry("b", 0));
        MemoryDelivery a = store.pollReady();
        store.putFirst(a.requeue(a.nextAttempt, 0));
        assertThat(drain(store)).containsExactly("a", "b");
    }

    @Test
    void clearDropsTheSerializedEntries() {
        TopicStore store = new TopicStore(TOPIC, 2);
        for (int i = 0; i < 10; i++) {
            store.addReady(entry("m" + i, i % 3));
        }
        assertThat(store.clear()).isEqualTo(10);
        assertThat(store.readyCount()).isZero();
        assertThat(store.spilledBytes()).isZero();
        store.addReady(entry("after", 0));
        assertThat(drain(store)).containsExactly("after");
    }
}
