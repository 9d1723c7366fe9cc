package io.rivulet.core.kit;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Helpers every contract of the kit shares. A backend runs the kit by implementing
 * {@link ConformanceKit} and returning its {@link KitFixture}.
 */
public interface KitSupport {

    /** A payload type with a schema, to exercise the JSON codec for real. */
    record Job(String name, int n) {
    }

    AtomicInteger TOPIC_COUNTER = new AtomicInteger();

    /** A UTF-8 text codec, to put arbitrary bytes (e.g. poison) on a topic. */
    Codec<String> TEXT = new Codec<>() {
        @Override
        public byte[] encode(String payload) {
            return payload.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** The fixture for the current test. */
    KitFixture fixture();

    /** The broker under test. */
    default Broker broker() {
        return fixture().broker();
    }

    /** A fresh topic name no other test uses, e.g. {@code kit.publishThenConsume.17.ab12cd}. */
    default String topic(TestInfo info) {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("t");
        return "kit." + method + "." + TOPIC_COUNTER.incrementAndGet() + "."
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh queue of {@link Job} payloads. */
    default Queue<Job> jobs(TestInfo info) {
        return broker().queue(topic(info), Job.class);
    }

    /** A job message with payload {@code ("job", n)}. */
    static Message<Job> job(int n) {
        return Message.of(new Job("job", n));
    }

    /** Publishes jobs {@code from..to-1} in order and waits for them. */
    default void publishJobs(Queue<Job> queue, int from, int to) {
        queue.publishAll(Flux.range(from, to - from).map(KitSupport::job))
                .then()
                .block(fixture().patience());
    }

    /** The job numbers of some deliveries. */
    default List<Integer> numbers(List<Delivery<Job>> deliveries) {
        return deliveries.stream().map(d -> d.message().payload().n()).toList();
    }

    /** Waits (bounded) until the queue's stats match, and returns them; fails with the last stats seen. */
    default QueueStats awaitStats(Queue<?> queue, Predicate<QueueStats> condition) {
        return queue.stats()
                .filter(condition)
                .repeatWhenEmpty(Integer.MAX_VALUE, r -> r.delayElements(Duration.ofMillis(20)))
                .timeout(fixture().patience(), Mono.defer(() -> queue.stats().flatMap(s ->
                        Mono.error(new AssertionError("Stats never matched; last: " + s)))))
                .block();
    }

    /** Consumes {@code n} deliveries, acking each, and returns them. */
    default List<Delivery<Job>> consumeAndAck(Queue<Job> queue, int n) {
        return queue.consume()
                .concatMap(d -> d.ack().thenReturn(d))
                .take(n)
                .collectList()
                .block(fixture().patience());
    }

    /** Settles with a blocking wait (bounded); for test code only. */
    static void settle(Mono<Void> settlement) {
        settlement.block(Duration.ofSeconds(15));
    }
}
