package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.CodecException;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.DeadLetterSink;
import io.rivulet.core.Delivery;
import io.rivulet.core.ErrorClassifier;
import io.rivulet.core.ErrorKind;
import io.rivulet.core.Handle;
import io.rivulet.core.Handler;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.PermanentException;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import io.rivulet.core.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Mono;

/** Retry with backoff (in-process and durable), dead-letter routing, error classes, sinks. */
public interface RetryContract extends OperatorKitSupport {

    /** A handler failing temporarily until attempt {@code okFrom} (never when 0), recording attempts and times. */
    private Handler<Job> failingUntil(int okFrom, List<Integer> attempts, List<Long> times) {
        return m -> Mono.defer(() -> {
            attempts.add(m.attempt());
            times.add(nowMillis());
            return okFrom > 0 && m.attempt() >= okFrom ? Mono.empty()
                    : Mono.error(new IllegalStateException("temporary trouble on attempt " + m.attempt()));
        });
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    default void temporaryFailureIsRetriedInProcessUntilItSucceeds(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(3, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1, 2, 3);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.ACKED);
            assertThat(p.outcomes.get(0).attempts()).isEqualTo(3);
            QueueStats stats = awaitStats(queue, s -> s.completed() == 1);
            assertThat(stats.retried()).as("in-process retries never nack").isZero();
        }
    }

    @Test
    default void inProcessRetriesExhaustedGoToDeadLettersWithEveryAttemptCounted(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1, 2, 3);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
            assertThat(p.outcomes.get(0).reason()).isEqualTo("max attempts exhausted");
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.reason()).isEqualTo("max attempts exhausted");
            assertThat(dl.attempts()).isEqualTo(3);
            assertThat(dl.errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(dl.errorMessage()).isEqualTo("temporary trouble on attempt 3");
            assertThat(awaitStats(queue, s -> s.failed() == 1).retried()).isZero();
        }
    }

    @Test
    default void longBackoffIsADurableRedeliveryWithAttemptIncreased(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(3, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(exactPolicy(3, Duration.ofMillis(200), Duration.ZERO)).build()))) {
            advanceUntil(Duration.ofMillis(100), "3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(attempts).containsExactly(1, 2, 3);
            assertThat(p.outcomes).extracting(Outcome::status).containsExactly(
                    Outcome.Status.RETRIED, Outcome.Status.RETRIED, Outcome.Status.ACKED);
            assertThat(p.outcomes).extracting(o -> o.message().attempt()).containsExactly(1, 2, 3);
            QueueStats stats = awaitStats(queue, s -> s.completed() == 1);
            assertThat(stats.retried()).isEqualTo(2);
            assertThat(stats.pending()).isZero();
        }
    }

    @Test
    default void durableRetriesExhaustedGoToDeadLettersWithEveryAttemptCounted(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(exactPolicy(3, Duration.ofMillis(200), Duration.ZERO)).build()))) {
            advanceUntil(Duration.ofMillis(100), "3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(attempts).containsExactly(1, 2, 3);
            assertThat(p.outcomes.get(2).status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.reason()).isEqualTo("max attempts exhausted");
            assertThat(dl.attempts()).isEqualTo(3);
            assertThat(awaitStats(queue, s -> s.failed() == 1).retried()).isEqualTo(2);
        }
    }

    @Test
    default void attemptsAddUpAcrossInProcessAndDurableRetries(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        // 100 ms in-process, then 400 ms and 1600 ms as durable redeliveries, then dead.
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(100))
                .multiplier(4).jitter(0).inProcessLimit(Duration.ofMillis(200)).build();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(policy).build()))) {
            advanceUntil(Duration.ofMillis(100), "3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(attempts).containsExactly(1, 2, 3, 4);
            assertThat(p.outcomes).extracting(Outcome::status).containsExactly(
                    Outcome.Status.RETRIED, Outcome.Status.RETRIED, Outcome.Status.DEAD_LETTERED);
            assertThat(p.outcomes).extracting(Outcome::attempts).containsExactly(2, 3, 4);
            assertThat(awaitDeadLetters(queue, 1).get(0).attempts()).isEqualTo(4);
            assertThat(awaitStats(queue, s -> s.failed() == 1).retried()).isEqualTo(2);
        }
    }

    @Test
    default void permanentErrorIsDeadLetteredAtOnce(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Handler<Job> handler = m -> {
            attempts.add(m.attempt());
            return Mono.error(new PermanentException("card expired"));
        };

        try (var p = run(queue, Handle.concurrently(handler, handleOptions()
                .retryPolicy(exactPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            await("an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.reason()).isEqualTo("permanent failure");
            assertThat(dl.attempts()).isEqualTo(1);
            assertThat(dl.errorClass()).isEqualTo(PermanentException.class.getName());
            assertThat(dl.errorMessage()).isEqualTo("card expired");
        }
    }

    @Test
    default void poisonErrorIsDeadLetteredAtOnce(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        Handler<Job> handler = m -> Mono.error(new CodecException("nested payload unreadable", null));

        try (var p = run(queue, Handle.concurrently(handler, handleOptions().build()))) {
            await("an outcome", () -> p.outcomes.size() == 1);
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.reason()).isEqualTo("poison");
            assertThat(dl.attempts()).isEqualTo(1);
            assertThat(p.outcomes.get(0).reason()).isEqualTo("poison");
        }
    }

    @Test
    default void customClassifierDecidesWhatIsPermanent(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().errorClassifier(ErrorClassifier.defaults().with(IllegalStateException.class,
                        ErrorKind.PERMANENT)).build()))) {
            await("an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1);
            assertThat(awaitDeadLetters(queue, 1).get(0).reason()).isEqualTo("permanent failure");
        }
    }

    @Test
    default void messageMaxAttemptsOverridesThePolicy(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publish(queue, Message.builder(new Job("short", 1)).maxAttempts(2).build());
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, attempts, new CopyOnWriteArrayList<>()),
                handleOptions().retryPolicy(exactPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(attempts).containsExactly(1, 2);
            assertThat(awaitDeadLetters(queue, 1).get(0).attempts()).isEqualTo(2);
        }
    }

    @Test
    default void backoffGrowsExponentiallyOnTheClock(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Long> times = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, new CopyOnWriteArrayList<>(), times),
                handleOptions().retryPolicy(exactPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(20), "an outcome", () -> p.outcomes.size() == 1);
            List<Long> gaps = gaps(times);
            assertThat(gaps).hasSize(3);
            long[] expected = {100, 200, 400};
            for (int i = 0; i < 3; i++) {
                assertThat(gaps.get(i)).as("wait after attempt %d", i + 1).isGreaterThanOrEqualTo(expected[i]);
                if (fixture().clock().isVirtual()) {
                    assertThat(gaps.get(i)).as("exact wait on virtual time").isEqualTo(expected[i]);
                }
            }
        }
    }

    @Test
    default void maxBackoffCapsTheWait(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<Long> times = new CopyOnWriteArrayList<>();
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(150)).multiplier(10).jitter(0).inProcessLimit(Duration.ofSeconds(1))
                .build();

        try (var p = run(queue, Handle.concurrently(failingUntil(0, new CopyOnWriteArrayList<>(), times),
                handleOptions().retryPolicy(policy).build()))) {
            advanceUntil(Duration.ofMillis(10), "an outcome", () -> p.outcomes.size() == 1);
            List<Long> gaps = gaps(times);
            assertThat(gaps).hasSize(3);
            assertThat(gaps).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(100));
            assertThat(gaps.subList(1, 3)).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(150));
            if (fixture().clock().isVirtual()) {
                assertThat(gaps).containsExactly(100L, 150L, 150L);
            }
        }
    }

    @Test
    default void customDeadLetterSinkReceivesTheMessageAndTheQueueCountsItFailed(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        List<String> sunk = new CopyOnWriteArrayList<>();
        DeadLetterSink<Job> sink = (Delivery<Job> d, String reason, Throwable error, int attempts) ->
                Mono.fromRunnable(() -> sunk.add(d.message().payload().n() + "|" + reason + "|"
                        + error.getClass().getSimpleName() + "|" + attempts + "|" + d.isSettled()));

        try (var p = run(queue, Handle.concurrently(failingUntil(0, new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>()), handleOptions().deadLetterSink(sink)
                .retryPolicy(exactPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1))).build()))) {
            advanceUntil(Duration.ofMillis(50), "an outcome", () -> p.outcomes.size() == 1);
            assertThat(sunk).containsExactly("0|max attempts exhausted|IllegalStateException|2|false");
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
            QueueStats stats = awaitStats(queue, s -> s.failed() == 1 && s.inFlight() == 0);
            assertThat(stats.completed()).isZero();
            assertThat(stats.dead()).isZero();
            assertThat(stats.pending()).isZero();
        }
    }

    @Test
    default void publishToSinkMovesTheMessageToAnotherQueue(TestInfo info) {
        Queue<Job> queue = jobs(info);
        Queue<Job> parking = jobs(info);
        publishJobs(queue, 7, 8);
        Handler<Job> handler = m -> Mono.error(new PermanentException("no such customer"));

        try (var p = run(queue, Handle.concurrently(handler,
                handleOptions().deadLetterSink(DeadLetterSink.publishTo(parking)).build()))) {
            await("an outcome", () -> p.outcomes.size() == 1);
            Delivery<Job> parked = parking.consume().next().block(fixture().patience());
            assertThat(parked.message().payload().n()).isEqualTo(7);
            assertThat(parked.message().id()).isEqualTo(p.outcomes.get(0).id());
            assertThat(parked.message().attempt()).isEqualTo(1);
            assertThat(parked.message().headers()).containsEntry("dead-letter-reason", "permanent failure");
            KitSupport.settle(parked.ack());
            QueueStats source = awaitStats(queue, s -> s.failed() == 1 && s.inFlight() == 0);
            assertThat(source.dead()).isZero();
            assertThat(source.completed()).isZero();
        }
    }

    @Test
    default void failingCustomSinkLeavesTheDeliveryUnsettled(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 1);
        DeadLetterSink<Job> broken = (d, reason, error, attempts) -> Mono.error(new IllegalStateException("sink down"));
        Handler<Job> handler = m -> Mono.error(new PermanentException("bad"));

        try (var p = run(queue, Handle.concurrently(handler, handleOptions().deadLetterSink(broken).build()))) {
            await("an outcome", () -> p.outcomes.size() == 1);
            assertThat(p.outcomes.get(0).status()).isEqualTo(Outcome.Status.UNSETTLED);
            assertThat(p.outcomes.get(0).error()).hasMessage("sink down");
            QueueStats stats = awaitStats(queue, s -> s.inFlight() == 1);
            assertThat(stats.completed() + stats.failed() + stats.dead()).isZero();
        }
    }
}
