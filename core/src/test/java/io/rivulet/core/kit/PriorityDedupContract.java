package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Priority levels, producer-side and consumer-side dedup. */
public interface PriorityDedupContract extends KitSupport {

    private static Message<Job> prioritized(int n, int priority) {
        return Message.builder(new Job("p", n)).priority(priority).build();
    }

    @Test
    default void higherPriorityIsDeliveredFirst(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishAll(Flux.just(prioritized(1, 0), prioritized(2, 9), prioritized(3, 5), prioritized(4, 0),
                prioritized(5, 9))).then().block(fixture().patience());

        assertThat(numbers(consumeAndAck(queue, 5))).containsExactly(2, 5, 3, 1, 4);
    }

    @Test
    default void outOfRangePriorityIsRejected() {
        assertThatThrownBy(() -> Message.builder("x").priority(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> Message.builder("x").priority(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    }

    @Test
    default void producerDedupDropsARepublishedId(TestInfo info) {
        Queue<Job> queue = broker().queue(topic(info), io.rivulet.core.JsonCodec.of(Job.class),
                QueueOptions.builder().dedupTtl(Duration.ofMinutes(5)).build());
        Message<Job> m = Message.builder(new Job("once", 1)).id("order-1").build();

        List<PublishResult> results = Flux.just(m, m, m).concatMap(queue::publish).collectList()
                .block(fixture().patience());
        assertThat(results).extracting(PublishResult::duplicate).containsExactly(false, true, true);
        assertThat(awaitStats(queue, s -> s.ready() == 1).ready()).isEqualTo(1);
    }

    @Test
    default void producerDedupUsesTheExplicitDedupKey(TestInfo info) {
        Queue<Job> queue = broker().queue(topic(info), io.rivulet.core.JsonCodec.of(Job.class),
                QueueOptions.builder().dedupTtl(Duration.ofMinutes(5)).build());

        PublishResult a = queue.publish(Message.builder(new Job("a", 1)).dedupKey("pay:42").build())
                .block(fixture().patience());
        PublishResult b = queue.publish(Message.builder(new Job("b", 2)).dedupKey("pay:42").build())
                .block(fixture().patience());
        PublishResult c = queue.publish(Message.builder(new Job("c", 3)).dedupKey("pay:43").build())
                .block(fixture().patience());

        assertThat(a.duplicate()).isFalse();
        assertThat(b.duplicate()).isTrue();
        assertThat(c.duplicate()).isFalse();
        assertThat(numbers(consumeAndAck(queue, 2))).containsExactly(1, 3);
    }

    @Test
    default void producerDedupAcceptsTheIdAgainAfterTheTtl(TestInfo info) {
        Queue<Job> queue = broker().queue(topic(info), io.rivulet.core.JsonCodec.of(Job.class),
                QueueOptions.builder().dedupTtl(Duration.ofSeconds(1)).build());
        Message<Job> m = Message.builder(new Job("again", 1)).id("twice").build();

        assertThat(queue.publish(m).block(fixture().patience()).duplicate()).isFalse();
        fixture().clock().advance(Duration.ofMillis(1500));
        assertThat(queue.publish(m).block(fixture().patience()).duplicate()).isFalse();
        assertThat(awaitStats(queue, s -> s.ready() == 2).ready()).isEqualTo(2);
    }

    @Test
    default void consumerDedupSkipsAMessageAlreadyProcessed(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Message<Job> m = Message.builder(new Job("dup", 1)).id("same-id").build();
        queue.publishAll(Flux.just(m, m, Message.builder(new Job("other", 2)).id("other-id").build()))
                .then().block(fixture().patience());
        ConsumeOptions dedup = ConsumeOptions.builder().dedupTtl(Duration.ofMinutes(5)).build();

        StepVerifier.create(queue.consume(dedup).concatMap(d -> d.ack().thenReturn(d.message().id())).take(2))
                .expectNext("same-id", "other-id")
                .expectComplete()
                .verify(fixture().patience());
        // The duplicate was acked silently: nothing is left behind.
        awaitStats(queue, s -> s.completed() == 3 && s.pending() == 0);
    }

    @Test
    default void consumerDedupStillDeliversAMessageThatWasNotAcked(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        ConsumeOptions dedup = ConsumeOptions.builder().dedupTtl(Duration.ofMinutes(5)).build();
        Delivery<Job> first = queue.consume(dedup).next().block(fixture().patience());
        KitSupport.settle(first.nack());

        Delivery<Job> second = queue.consume(dedup).next().block(fixture().patience());
        assertThat(second.message().id()).isEqualTo(first.message().id());
        assertThat(second.message().attempt()).isEqualTo(2);
        KitSupport.settle(second.ack());
    }
}
