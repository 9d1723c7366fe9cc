package io.rivulet.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.BatchHandler;
import io.rivulet.core.BatchResult;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Handle;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.PermanentException;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Mono;

/** Batches closed by size or time, one handler call and one settlement per batch, partial failures. */
public interface BatchContract extends OperatorKitSupport {

    /** The job numbers of a batch. */
    private static List<Integer> ns(List<Message<Job>> batch) {
        return batch.stream().map(m -> m.payload().n()).toList();
    }

    /** A handler that records each call's job numbers and reports all ok. */
    private BatchHandler<Job> recording(List<List<Integer>> calls) {
        return batch -> Mono.fromSupplier(() -> {
            calls.add(ns(batch));
            return BatchResult.allOk();
        });
    }

    @Test
    default void batchesCloseAtMaxSizeAndTheRemainderByTime(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 10);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.batched(recording(calls),
                batchOptions().maxSize(4).maxWait(Duration.ofSeconds(2)).build()))) {
            await("two full batches", () -> calls.size() == 2);
            assertThat(calls).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
            if (fixture().clock().isVirtual()) {
                assertThat(p.outcomes).hasSize(8);
            }
            advanceUntil(Duration.ofMillis(500), "the last batch", () -> calls.size() == 3);
            assertThat(calls.get(2)).containsExactly(8, 9);
            await("10 outcomes", () -> p.outcomes.size() == 10);
            assertThat(p.count(Outcome.Status.ACKED)).isEqualTo(10);
            awaitStats(queue, s -> s.completed() == 10 && s.pending() == 0);
        }
    }

    @Test
    default void partialBatchClosesAfterMaxWaitOnTheClock(TestInfo info) {
        Queue<Job> queue = jobs(info);
        List<Long> closedAt = new CopyOnWriteArrayList<>();
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        BatchHandler<Job> handler = batch -> Mono.fromSupplier(() -> {
            closedAt.add(nowMillis());
            calls.add(ns(batch));
            return BatchResult.allOk();
        });

        try (var p = run(queue, Handle.batched(handler,
                batchOptions().maxSize(10).maxWait(Duration.ofSeconds(1)).build()))) {
            long start = nowMillis();
            publishJobs(queue, 0, 3);
            fixture().clock().advance(Duration.ofMillis(800));
            assertThat(calls).as("no batch before maxWait").isEmpty();
            advanceUntil(Duration.ofMillis(100), "the batch", () -> calls.size() == 1);
            assertThat(calls.get(0)).containsExactly(0, 1, 2);
            assertThat(closedAt.get(0) - start).isGreaterThanOrEqualTo(1000);
            if (fixture().clock().isVirtual()) {
                assertThat(closedAt.get(0) - start).isEqualTo(1000);
            }
        }
    }

    @Test
    default void successfulBatchAcksEveryMessageInOneCall(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 5);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.batched(recording(calls),
                batchOptions().maxSize(5).maxWait(Duration.ofSeconds(1)).build()))) {
            await("5 outcomes", () -> p.outcomes.size() == 5);
            assertThat(calls).containsExactly(List.of(0, 1, 2, 3, 4));
            assertThat(p.outcomes).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.ACKED);
                assertThat(o.attempts()).isEqualTo(1);
            });
            assertThat(awaitStats(queue, s -> s.completed() == 5).pending()).isZero();
        }
    }

    @Test
    default void failedBatchIsRetriedAsAWhole(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        List<List<Integer>> attempts = new CopyOnWriteArrayList<>();
        BatchHandler<Job> handler = batch -> Mono.defer(() -> {
            calls.add(ns(batch));
            attempts.add(batch.stream().map(Message::attempt).toList());
            return calls.size() == 1 ? Mono.error(new IllegalStateException("database busy"))
                    : Mono.just(BatchResult.allOk());
        });

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(1)
                        .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))))
                .maxSize(3).maxWait(Duration.ofSeconds(1)).build()))) {
            advanceUntil(Duration.ofMillis(50), "3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(calls).containsExactly(List.of(0, 1, 2), List.of(0, 1, 2));
            assertThat(attempts).containsExactly(List.of(1, 1, 1), List.of(2, 2, 2));
            assertThat(p.outcomes).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.ACKED);
                assertThat(o.attempts()).isEqualTo(2);
            });
            assertThat(awaitStats(queue, s -> s.completed() == 3).retried()).isZero();
        }
    }

    @Test
    default void batchFailingOnEveryAttemptDeadLettersEveryMessage(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);
        AtomicInteger calls = new AtomicInteger();
        BatchHandler<Job> handler = batch -> Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new IllegalStateException("database down"));
        });

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(1)
                        .retryPolicy(exactPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1))))
                .maxSize(3).maxWait(Duration.ofSeconds(1)).build()))) {
            advanceUntil(Duration.ofMillis(50), "3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(calls.get()).isEqualTo(2);
            List<DeadLetter> dead = awaitDeadLetters(queue, 3);
            assertThat(dead).hasSize(3).allSatisfy(dl -> {
                assertThat(dl.reason()).isEqualTo("max attempts exhausted");
                assertThat(dl.attempts()).isEqualTo(2);
                assertThat(dl.errorMessage()).isEqualTo("database down");
            });
        }
    }

    @Test
    default void singleFailedMessageIsRetriedAloneAndTheRestAcked(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 4);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        BatchHandler<Job> handler = batch -> Mono.fromSupplier(() -> {
            calls.add(ns(batch));
            return batch.stream().filter(m -> m.payload().n() == 2 && m.attempt() == 1).findFirst()
                    .map(m -> BatchResult.failed(m.id(), new IllegalStateException("row locked")))
                    .orElse(BatchResult.allOk());
        });

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(1)
                        .retryPolicy(exactPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1))))
                .maxSize(4).maxWait(Duration.ofSeconds(1)).build()))) {
            await("3 acked at once", () -> p.outcomes.size() >= 3);
            assertThat(p.outcomes.subList(0, 3)).extracting(o -> o.message().payload().n())
                    .containsExactlyInAnyOrder(0, 1, 3);
            advanceUntil(Duration.ofMillis(50), "4 outcomes", () -> p.outcomes.size() == 4);
            assertThat(calls).containsExactly(List.of(0, 1, 2, 3), List.of(2));
            Outcome<Job> retried = p.outcomes.get(3);
            assertThat(retried.message().payload().n()).isEqualTo(2);
            assertThat(retried.status()).isEqualTo(Outcome.Status.ACKED);
            assertThat(retried.attempts()).isEqualTo(2);
            awaitStats(queue, s -> s.completed() == 4 && s.pending() == 0);
        }
    }

    @Test
    default void singlePermanentlyFailedMessageIsDeadLetteredAndTheRestAcked(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 4);
        AtomicInteger calls = new AtomicInteger();
        BatchHandler<Job> handler = batch -> Mono.fromSupplier(() -> {
            calls.incrementAndGet();
            Message<Job> bad = batch.stream().filter(m -> m.payload().n() == 1).findFirst().orElseThrow();
            return BatchResult.failed(bad.id(), new PermanentException("invalid address"));
        });

        try (var p = run(queue, Handle.batched(handler, batchOptions().maxSize(4).maxWait(Duration.ofSeconds(1))
                .build()))) {
            await("4 outcomes", () -> p.outcomes.size() == 4);
            assertThat(calls.get()).isEqualTo(1);
            DeadLetter dl = awaitDeadLetters(queue, 1).get(0);
            assertThat(dl.payloadText()).contains("\"n\":1");
            assertThat(dl.reason()).isEqualTo("permanent failure");
            assertThat(dl.attempts()).isEqualTo(1);
            QueueStats stats = awaitStats(queue, s -> s.completed() == 3 && s.failed() == 1);
            assertThat(stats.pending()).isZero();
        }
    }

    @Test
    default void batchRetriesWithLongBackoffAreDurableRedeliveries(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 2);
        List<List<Integer>> attempts = new CopyOnWriteArrayList<>();
        BatchHandler<Job> handler = batch -> Mono.defer(() -> {
            attempts.add(batch.stream().map(Message::attempt).toList());
            return batch.get(0).attempt() == 1 ? Mono.error(new IllegalStateException("busy"))
                    : Mono.just(BatchResult.allOk());
        });

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(1)
                        .retryPolicy(exactPolicy(3, Duration.ofMillis(200), Duration.ZERO)))
                .maxSize(2).maxWait(Duration.ofSeconds(1)).build()))) {
            advanceUntil(Duration.ofMillis(100), "4 outcomes", () -> p.outcomes.size() == 4);
            assertThat(attempts).containsExactly(List.of(1, 1), List.of(2, 2));
            assertThat(p.outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.RETRIED,
                    Outcome.Status.RETRIED, Outcome.Status.ACKED, Outcome.Status.ACKED);
            assertThat(awaitStats(queue, s -> s.completed() == 2).retried()).isEqualTo(2);
        }
    }

    @Test
    default void batchHandlerTimeoutCancelsItAndFailsTheBatch(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 2);
        AtomicInteger cancelled = new AtomicInteger();
        BatchHandler<Job> handler = batch -> Mono.<BatchResult>never().doOnCancel(cancelled::incrementAndGet);

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(1)
                        .timeout(Duration.ofMillis(300))
                        .retryPolicy(exactPolicy(1, Duration.ofMillis(100), Duration.ofSeconds(1))))
                .maxSize(2).maxWait(Duration.ofSeconds(1)).build()))) {
            advanceUntil(Duration.ofMillis(100), "2 outcomes", () -> p.outcomes.size() == 2);
            assertThat(cancelled.get()).isEqualTo(1);
            assertThat(p.outcomes).allSatisfy(o -> {
                assertThat(o.status()).isEqualTo(Outcome.Status.DEAD_LETTERED);
                assertThat(o.error()).isInstanceOf(TimeoutException.class);
            });
            assertThat(awaitDeadLetters(queue, 2)).allSatisfy(dl ->
                    assertThat(dl.errorClass()).isEqualTo(TimeoutException.class.getName()));
        }
    }

    @Test
    default void batchesRunUpToTheirConcurrency(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 24);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        BatchHandler<Job> handler = batch -> Mono.fromRunnable(() -> {
                    OperatorKitSupport.trackMax(running, max);
                    seen.addAll(ns(batch));
                })
                .then(Mono.delay(Duration.ofMillis(20), timers()))
                .doOnTerminate(running::decrementAndGet)
                .thenReturn(BatchResult.allOk());

        try (var p = run(queue, Handle.batched(handler, batchOptions(handleOptions().concurrency(2))
                .maxSize(3).maxWait(Duration.ofSeconds(1)).build()))) {
            advanceUntil(Duration.ofMillis(20), "24 outcomes", () -> p.outcomes.size() == 24);
            assertThat(max.get()).isEqualTo(2);
            assertThat(seen).hasSize(24).doesNotHaveDuplicates();
        }
    }

    @Test
    default void blockingBatchHandlerRunsOffTheDeliveringThread(TestInfo info) {
        Queue<Job> queue = jobs(info);
        publishJobs(queue, 0, 3);
        List<String> threads = new CopyOnWriteArrayList<>();

        try (var p = run(queue, Handle.batched(BatchHandler.<Job>blocking(batch -> {
            threads.add(Thread.currentThread().getName());
            return null;
        }), batchOptions().maxSize(3).build()))) {
            await("3 outcomes", () -> p.outcomes.size() == 3);
            assertThat(threads).singleElement().satisfies(t -> assertThat(t).contains("boundedElastic"));
            assertThat(p.count(Outcome.Status.ACKED)).isEqualTo(3);
        }
    }
}
