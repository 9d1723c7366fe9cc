package io.rivulet.samples;

import io.rivulet.core.Broker;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.PermanentException;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueStats;
import io.rivulet.core.RetryPolicy;
import io.rivulet.core.WorkerOptions;
import io.rivulet.core.WorkerPool;
import io.rivulet.core.WorkerStats;
import io.rivulet.core.memory.MemoryBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The console worker demo on the in-memory backend: a producer publishes e-mail jobs (some
 * delayed, some urgent, some that fail now and then, a few that can never succeed), a pool of
 * workers handles them with retries and backoff, progress is printed while they run, then the
 * pool stops gracefully and the dead letters are shown and replayed. Needs no services.
 *
 * <p>Run it with {@code ./mvnw -q -Pdemo -pl samples -am verify}.
 */
public final class WorkerDemo {

    /** The job: an e-mail to send. */
    public record Email(String to, String subject) {
    }

    private static final int JOBS = 10_000;

    private WorkerDemo() {
    }

    /** Runs the demo and exits with 0 when every job ended acked or dead-lettered. */
    public static void main(String[] args) {
        boolean ok = run(System.out);
        System.exit(ok ? 0 : 1);
    }

    /** Runs the demo, printing to {@code out}; returns whether every job was accounted for. */
    public static boolean run(PrintStream out) {
        Broker broker = MemoryBroker.create();
        try {
            return demo(broker, out);
        } finally {
            broker.close().block(Duration.ofSeconds(10));
        }
    }

    private static boolean demo(Broker broker, PrintStream out) {
        Queue<Email> emails = broker.queue("email.send", Email.class);
        out.printf("Rivulet worker demo: %d e-mail jobs on the in-memory broker%n", JOBS);

        // Urgent jobs jump the queue; every 10th job is delayed; 'bounce' addresses never work.
        Flux<Message<Email>> jobs = Flux.range(1, JOBS).map(i -> {
            String to = i % 250 == 0 ? "bounce-" + i + "@example.com" : "user-" + i + "@example.com";
            return Message.builder(new Email(to, "Hello #" + i))
                    .id("email-" + i)
                    .priority(i % 100 == 0 ? 9 : 0)
                    .availableAt(i % 10 == 0 ? Instant.now().plusSeconds(1) : null)
                    .build();
        });
        long published = emails.publishAll(jobs).count().block(Duration.ofSeconds(30));
        out.printf("published %d jobs (%d delayed by 1 s, %d urgent)%n", published, JOBS / 10, JOBS / 100);

        WorkerOptions options = WorkerOptions.builder()
                .name("mailer")
                .stopTimeout(Duration.ofSeconds(5))
                .handleOptions(HandleOptions.builder()
                        .concurrency(16)
                        .timeout(Duration.ofSeconds(2))
                        .retryPolicy(RetryPolicy.builder()
                                .maxAttempts(3)
                                .initialBackoff(Duration.ofMillis(20))
                                .jitter(0.2)
                                .build())
                        .build())
                .build();
        WorkerPool pool = WorkerPool.of(4, emails, WorkerDemo::send, options).start();

        Flux.interval(Duration.ofMillis(200))
                .concatMap(tick -> emails.stats())
                .doOnNext(s -> out.println(progress(pool.stats(), s)))
                .takeUntil(s -> s.ready() == 0 && s.delayed() == 0 && s.inFlight() == 0)
                .then()
                .block(Duration.ofSeconds(60));

        pool.stop().block(Duration.ofSeconds(10));
        QueueStats done = emails.stats().block(Duration.ofSeconds(5));
        out.println(progress(pool.stats(), done));

        List<DeadLetter> dead = emails.deadLetters().list(10).collectList().block(Duration.ofSeconds(5));
        out.printf("%d dead letters, for example:%n", done.dead());
        dead.stream().limit(3).forEach(d -> out.printf("  %s: %s (%s) after %d attempts%n",
                d.id(), d.reason(), d.errorMessage(), d.attempts()));
        long replayed = emails.deadLetters().replayAll().block(Duration.ofSeconds(5));
        out.printf("replayed %d dead letters back to '%s'; %d ready again%n",
                replayed, emails.topic(), emails.stats().block(Duration.ofSeconds(5)).ready());

        boolean accounted = done.completed() + done.dead() == JOBS;
        out.println(accounted
                ? "every job ended acked or dead-lettered; bye"
                : "MISSING JOBS: " + done);
        return accounted;
    }

    /** Sends an e-mail: takes a few ms, fails now and then (retried), bounces for good. */
    private static Mono<Void> send(Message<Email> message) {
        Email email = message.payload();
        if (email.to().startsWith("bounce")) {
            return Mono.error(new PermanentException("mailbox " + email.to() + " does not exist"));
        }
        if (ThreadLocalRandom.current().nextInt(20) == 0) {
            return Mono.error(new IllegalStateException("SMTP server busy"));
        }
        return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5, 16))).then();
    }

    private static String progress(WorkerStats w, QueueStats q) {
        return String.format("[%s] ready=%d delayed=%d in-flight=%d completed=%d dead=%d retried=%d"
                        + " | workers %d/%d, handlers running %d",
                w.status(), q.ready(), q.delayed(), q.inFlight(), q.completed(), q.dead(), q.retried(),
                w.activeWorkers(), w.workers(), w.inProgress());
    }
}
