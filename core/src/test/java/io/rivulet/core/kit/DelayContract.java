package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Queue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.test.StepVerifier;

/** Delayed publish by duration and by instant. */
public interface DelayContract extends KitSupport {

    @Test
    default void delayedMessageIsNotDeliveredBeforeItsDelay(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishDelayed(KitSupport.job(1), Duration.ofSeconds(2)).block(fixture().patience());

        StepVerifier.create(queue.consume().take(1).map(d -> d.message().payload().n()))
                .expectSubscription()
                .then(() -> fixture().clock().advance(Duration.ofMillis(1200)))
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> fixture().clock().advance(Duration.ofMillis(1300)))
                .expectNext(1)
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void delayedMessageCountsAsDelayedUntilDue(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishDelayed(KitSupport.job(1), Duration.ofSeconds(2)).block(fixture().patience());

        assertThat(awaitStats(queue, s -> s.delayed() == 1).ready()).isZero();
        fixture().clock().advance(Duration.ofMillis(2500));
        awaitStats(queue, s -> s.ready() == 1 && s.delayed() == 0);
    }

    @Test
    default void messagePublishedAtAnInstantArrivesThen(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Instant now = Instant.ofEpochMilli(fixture().clock().scheduler().now(TimeUnit.MILLISECONDS));
        Instant due = now.plusSeconds(2);
        queue.publishAt(KitSupport.job(5), due).block(fixture().patience());

        // Not early is checked by the clock at delivery, not by a window after the publish: on a real
        // backend the publish itself may take a good part of the delay.
        StepVerifier.create(queue.consume().take(1)
                        .map(d -> Map.entry(d.message().payload().n(), fixture().clock().scheduler().now(
                                TimeUnit.MILLISECONDS))))
                .expectSubscription()
                .then(() -> fixture().clock().advance(Duration.ofMillis(1000)))
                .then(() -> fixture().clock().advance(Duration.ofMillis(1500)))
                .assertNext(delivery -> {
                    assertThat(delivery.getKey()).isEqualTo(5);
                    assertThat(delivery.getValue()).as("delivered at or after its instant")
                            .isGreaterThanOrEqualTo(due.toEpochMilli());
                })
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void delayedMessagesArriveInDueOrder(TestInfo info) {
        Queue<Job> queue = jobs(info);
        queue.publishDelayed(KitSupport.job(3), Duration.ofMillis(2400)).block(fixture().patience());
        queue.publishDelayed(KitSupport.job(1), Duration.ofMillis(800)).block(fixture().patience());
        queue.publishDelayed(KitSupport.job(2), Duration.ofMillis(1600)).block(fixture().patience());

        StepVerifier.create(queue.consume().concatMap(d -> d.ack().thenReturn(d.message().payload().n())).take(3))
                .expectSubscription()
                .then(() -> fixture().clock().advance(Duration.ofMillis(1000)))
                .expectNext(1)
                .then(() -> fixture().clock().advance(Duration.ofMillis(800)))
                .expectNext(2)
                .then(() -> fixture().clock().advance(Duration.ofMillis(800)))
                .expectNext(3)
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void pastInstantIsDeliveredAtOnce(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Instant now = Instant.ofEpochMilli(fixture().clock().scheduler().now(TimeUnit.MILLISECONDS));
        queue.publishAt(KitSupport.job(9), now.minusSeconds(60)).block(fixture().patience());

        assertThat(numbers(consumeAndAck(queue, 1))).containsExactly(9);
    }

    @Test
    default void negativeDelayIsRejected(TestInfo info) {
        Queue<Job> queue = jobs(info);

        StepVerifier.create(queue.publishDelayed(KitSupport.job(1), Duration.ofSeconds(-5)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("delay"))
                .verify(fixture().patience());
        assertThat(awaitStats(queue, s -> true).pending()).isZero();
    }
}
