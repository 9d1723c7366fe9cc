package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every options class and builder refuses invalid settings eagerly, with a message naming the parameter. */
class OptionsValidationTest {

    /** The topic rule as error messages state it. */
    private static final String TOPIC_RULE = "use 1 to 200 letters, digits, '.', '_' or '-'";

    private Broker broker;

    @BeforeEach
    void open() {
        broker = MemoryBroker.create(MemoryOptions.defaults(),
                BrokerOptions.builder().name("validation").meterRegistry(new SimpleMeterRegistry()).build());
    }

    @AfterEach
    void close() {
        broker.close().block(Duration.ofSeconds(10));
    }

    // ---- MemoryOptions ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void memoryHeapBacklogBelowZeroIsRejected(int n) {
        assertThatThrownBy(() -> MemoryOptions.builder().heapBacklog(n).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryOptions.heapBacklog")
                .hasMessageContaining(String.valueOf(n));
    }

    @Test
    void memoryHeapBacklogSurvivesMutate() {
        assertThat(MemoryOptions.builder().heapBacklog(7).build().mutate().build().heapBacklog()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void memoryMaxQueueSizeBelowOneIsRejected(int size) {
        assertThatThrownBy(() -> MemoryOptions.builder().maxQueueSize(size).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryOptions.maxQueueSize")
                .hasMessageContaining(String.valueOf(size));
    }

    @Test
    void memoryVisibilityTimeoutThatIsNotPositiveIsRejected() {
        assertThatThrownBy(() -> MemoryOptions.builder().visibilityTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryOptions.visibilityTimeout");
        assertThatThrownBy(() -> MemoryOptions.builder().visibilityTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryOptions.visibilityTimeout");
    }

    /** Durations a millisecond clock cannot use: under 1 ms, or beyond its range. */
    static Stream<Duration> outsideTheMillisecondClock() {
        return Stream.of(Duration.ofNanos(1), Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE));
    }

    /**
     * The backend adds the timeout, in whole milliseconds, to a millisecond clock: below 1 ms it
     * would redeliver at once, beyond the clock's range it overflows.
     */
    @ParameterizedTest
    @MethodSource("outsideTheMillisecondClock")
    void memoryVisibilityTimeoutOutsideTheMillisecondClockIsRejected(Duration timeout) {
        assertThatThrownBy(() -> MemoryOptions.builder().visibilityTimeout(timeout).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryOptions.visibilityTimeout");
    }

    @Test
    void memoryBoundaryValuesAreAccepted() {
        MemoryOptions o = MemoryOptions.builder().maxQueueSize(1).visibilityTimeout(Duration.ofMillis(1)).build();
        assertThat(o.maxQueueSize()).isEqualTo(1);
        assertThat(o.visibilityTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    // ---- BrokerOptions ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void brokerBlankNameIsRejected(String name) {
        assertThatThrownBy(() -> BrokerOptions.builder().name(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BrokerOptions.name");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void brokerMaxMessageBytesBelowOneIsRejected(int bytes) {
        assertThatThrownBy(() -> BrokerOptions.builder().maxMessageBytes(bytes).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BrokerOptions.maxMessageBytes");
    }

    // ---- null settings ---------------------------------------------------------------------

    // Null settings fail at once, naming the options class and the parameter as HandleOptions does.

    @Test
    void memoryNullSchedulerIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> MemoryOptions.builder().scheduler(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("MemoryOptions.scheduler");
    }

    @Test
    void memoryNullOverflowIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> MemoryOptions.builder().overflow(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("MemoryOptions.overflow");
    }

    @Test
    void memoryNullVisibilityTimeoutIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> MemoryOptions.builder().visibilityTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("MemoryOptions.visibilityTimeout");
    }

    @Test
    void brokerNullMeterRegistryIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> BrokerOptions.builder().meterRegistry(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("BrokerOptions.meterRegistry");
    }

    @Test
    void brokerNullNameIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> BrokerOptions.builder().name(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("BrokerOptions.name");
    }

    @Test
    void nullDedupTtlTurnsDedupOff() {
        assertThat(ConsumeOptions.builder().dedupTtl(null).build().dedupTtl()).isNull();
        assertThat(QueueOptions.builder().dedupTtl(null).build().dedupTtl()).isNull();
    }

    // ---- ConsumeOptions --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void consumePrefetchBelowOneIsRejected(int prefetch) {
        assertThatThrownBy(() -> ConsumeOptions.builder().prefetch(prefetch).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConsumeOptions.prefetch")
                .hasMessageContaining(String.valueOf(prefetch));
    }

    @Test
    void consumeDedupTtlThatIsNotPositiveIsRejected() {
        assertThatThrownBy(() -> ConsumeOptions.builder().dedupTtl(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConsumeOptions.dedupTtl");
        assertThatThrownBy(() -> ConsumeOptions.builder().dedupTtl(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConsumeOptions.dedupTtl");
    }

    @Test
    void consumeMutateKeepsTheValidationOfBuild() {
        ConsumeOptions o = ConsumeOptions.builder().prefetch(1).build();
        assertThat(o.prefetch()).isEqualTo(1);
        assertThatThrownBy(() -> o.mutate().prefetch(0).build())
                .hasMessageContaining("ConsumeOptions.prefetch");
    }

    // ---- QueueOptions ----------------------------------------------------------------------

    @Test
    void queueDedupTtlThatIsNotPositiveIsRejected() {
        assertThatThrownBy(() -> QueueOptions.builder().dedupTtl(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QueueOptions.dedupTtl");
        assertThatThrownBy(() -> QueueOptions.builder().dedupTtl(Duration.ofSeconds(-5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QueueOptions.dedupTtl");
    }

    /**
     * Dedup keys expire at {@code now + ttl} on a millisecond clock: a TTL under 1 ms expires at
     * once and one beyond the clock's range overflows, so either would turn dedup off silently.
     */
    @ParameterizedTest
    @MethodSource("outsideTheMillisecondClock")
    void queueDedupTtlOutsideTheMillisecondClockIsRejected(Duration ttl) {
        assertThatThrownBy(() -> QueueOptions.builder().dedupTtl(ttl).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QueueOptions.dedupTtl");
    }

    /** As for {@link #queueDedupTtlOutsideTheMillisecondClockIsRejected}: consumer dedup keys expire the same way. */
    @ParameterizedTest
    @MethodSource("outsideTheMillisecondClock")
    void consumeDedupTtlOutsideTheMillisecondClockIsRejected(Duration ttl) {
        assertThatThrownBy(() -> ConsumeOptions.builder().dedupTtl(ttl).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConsumeOptions.dedupTtl");
    }

    // ---- topic names -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"bad topic!", "", " ", ".starts-with-dot", "-starts-with-dash", "slash/inside", "ümlaut"})
    void invalidTopicNameIsRejectedStatingTheRule(String topic) {
        assertThatThrownBy(() -> broker.queue(topic, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining(TOPIC_RULE);
    }

    @Test
    void topicNameOf201CharactersIsRejectedAnd200Accepted() {
        String max = "t".repeat(200);
        assertThatThrownBy(() -> broker.queue(max + "t", String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TOPIC_RULE);
        assertThat(broker.queue(max, String.class).topic()).isEqualTo(max);
    }

    @Test
    void nullTopicNameIsRejectedStatingTheRule() {
        assertThatThrownBy(() -> broker.queue(null, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TOPIC_RULE);
    }

    @Test
    void adminRejectsInvalidTopicNamesToo() {
        assertThatThrownBy(() -> broker.admin().stats("bad topic!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TOPIC_RULE);
        assertThatThrownBy(() -> broker.admin().deadLetters("bad topic!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TOPIC_RULE);
    }

    @Test
    void validTopicNamesAreAccepted() {
        assertThatCode(() -> {
            broker.queue("order.paid", String.class);
            broker.queue("0_a-b.C", String.class);
            broker.queue("x", String.class);
        }).doesNotThrowAnyException();
    }

    // ---- Message ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {-1, 10, Integer.MAX_VALUE})
    void messagePriorityOutsideZeroToNineIsRejected(int priority) {
        assertThatThrownBy(() -> Message.builder("x").priority(priority))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority")
                .hasMessageContaining(String.valueOf(priority));
    }

    @Test
    void messagePriorityBoundsAreAccepted() {
        assertThat(Message.builder("x").priority(0).build().priority()).isZero();
        assertThat(Message.builder("x").priority(Message.MAX_PRIORITY).build().priority()).isEqualTo(9);
    }

    @Test
    void messageNegativeMaxAttemptsIsRejected() {
        assertThatThrownBy(() -> Message.builder("x").maxAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
        assertThat(Message.builder("x").maxAttempts(Message.UNLIMITED_ATTEMPTS).build().maxAttempts()).isZero();
    }

    @Test
    void messageTimeoutThatIsNotPositiveIsRejected() {
        assertThatThrownBy(() -> Message.builder("x").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> Message.builder("x").timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void messageBlankIdIsRejected() {
        assertThatThrownBy(() -> Message.builder("x").id(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
    }
}
