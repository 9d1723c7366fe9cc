package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Delivery;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.test.StepVerifier;

/** Ack, nack, dead-letter: each delivery settled exactly once, unsettled ones come back. */
public interface SettlementContract extends KitSupport {

    private Delivery<Job> takeOne(Queue<Job> queue) {
        return queue.consume().next().block(fixture().patience());
    }

    @Test
    default void ackedMessageIsGoneAndCountedCompleted(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        KitSupport.settle(takeOne(queue).ack());

        QueueStats stats = awaitStats(queue, s -> s.completed() == 1);
        assertThat(stats.ready()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.dead()).isZero();
    }

    @Test
    default void nackedMessageComesBackWithAttemptIncreased(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> first = takeOne(queue);
        assertThat(first.message().attempt()).isEqualTo(1);
        KitSupport.settle(first.nack());

        Delivery<Job> second = takeOne(queue);
        assertThat(second.message().id()).isEqualTo(first.message().id());
        assertThat(second.message().attempt()).isEqualTo(2);
        KitSupport.settle(second.nack());

        Delivery<Job> third = takeOne(queue);
        assertThat(third.message().attempt()).isEqualTo(3);
        KitSupport.settle(third.ack());
        assertThat(awaitStats(queue, s -> s.completed() == 1).retried()).isEqualTo(2);
    }

    @Test
    default void nackedWithDelayComesBackOnlyAfterTheDelay(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        KitSupport.settle(takeOne(queue).nack(Duration.ofSeconds(2)));
        assertThat(awaitStats(queue, s -> s.delayed() == 1).ready()).isZero();

        StepVerifier.create(queue.consume().take(1).map(d -> d.message().attempt()))
                .expectSubscription()
                .then(() -> fixture().clock().advance(Duration.ofMillis(1000)))
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> fixture().clock().advance(Duration.ofMillis(1500)))
                .expectNext(2)
                .expectComplete()
                .verify(fixture().patience());
    }

    @Test
    default void deadLetteredMessageKeepsReasonAndError(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = takeOne(queue);
        KitSupport.settle(d.deadLetter("card declined", new IllegalStateException("insufficient funds")));

        StepVerifier.create(queue.deadLetters().list())
                .assertNext(dl -> {
                    assertThat(dl.id()).isEqualTo(d.message().id());
                    assertThat(dl.reason()).isEqualTo("card declined");
                    assertThat(dl.errorClass()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(dl.errorMessage()).isEqualTo("insufficient funds");
                    assertThat(dl.attempts()).isEqualTo(1);
                })
                .expectComplete()
                .verify(fixture().patience());
        assertThat(awaitStats(queue, s -> s.failed() == 1).dead()).isEqualTo(1);
    }

    @Test
    default void secondSettlementHasNoEffect(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = takeOne(queue);
        KitSupport.settle(d.ack());
        KitSupport.settle(d.nack());
        KitSupport.settle(d.deadLetter("late"));
        KitSupport.settle(d.ack());

        QueueStats stats = awaitStats(queue, s -> s.completed() == 1);
        assertThat(stats.retried()).isZero();
        assertThat(stats.failed()).isZero();
        assertThat(stats.ready() + stats.delayed() + stats.inFlight() + stats.dead()).isZero();
    }

    @Test
    default void nackThenAckDoesNotLoseTheRedelivery(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = takeOne(queue);
        KitSupport.settle(d.nack());
        KitSupport.settle(d.ack());

        Delivery<Job> again = takeOne(queue);
        assertThat(again.message().attempt()).isEqualTo(2);
        KitSupport.settle(again.ack());
    }

    @Test
    default void settlementIsLazyUntilSubscribed(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = takeOne(queue);
        d.ack(); // not subscribed: nothing happens

        assertThat(d.isSettled()).isFalse();
        assertThat(awaitStats(queue, s -> s.inFlight() == 1).completed()).isZero();
        KitSupport.settle(d.ack());
        assertThat(d.isSettled()).isTrue();
        awaitStats(queue, s -> s.completed() == 1 && s.inFlight() == 0);
    }

    @Test
    default void unsettledDeliveryOfAVanishedConsumerComesBack(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> lost = takeOne(queue); // consumer cancelled without settling

        StepVerifier.create(queue.consume().take(1))
                .expectSubscription()
                .then(() -> fixture().clock().advance(fixture().visibilityTimeout().plusSeconds(1)))
                .assertNext(d -> {
                    assertThat(d.message().id()).isEqualTo(lost.message().id());
                    assertThat(d.message().attempt()).isEqualTo(2);
                    KitSupport.settle(d.ack());
                })
                .expectComplete()
                .verify(fixture().patience().plus(fixture().visibilityTimeout()));
        awaitStats(queue, s -> s.completed() == 1 && s.inFlight() == 0);
    }

    @Test
    default void negativeNackDelayIsRejected(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Delivery<Job> d = takeOne(queue);

        StepVerifier.create(d.nack(Duration.ofSeconds(-1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("delay"))
                .verify(fixture().patience());
        assertThat(d.isSettled()).isFalse();
        KitSupport.settle(d.ack());
    }
}
