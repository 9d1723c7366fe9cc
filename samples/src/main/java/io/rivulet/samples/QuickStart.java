package io.rivulet.samples;

import io.rivulet.core.Broker;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import io.rivulet.core.memory.MemoryBroker;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/** The README's quick start, kept compiling and running by {@code QuickStartTest}. */
public final class QuickStart {

    private QuickStart() {
    }

    /** Runs the quick start; returns what it handled. */
    public static List<Outcome<Email>> run() {
        // --- README quick start begins ---
        Broker broker = MemoryBroker.create();
        Queue<Email> emails = broker.queue("email.send", Email.class);

        emails.publish(new Email("ada@example.com", "Welcome")).block();
        emails.publishDelayed(Message.of(new Email("bob@example.com", "Reminder")), Duration.ofMillis(200)).block();

        List<Outcome<Email>> outcomes = emails.consume()
                .transform(Handle.concurrently(message -> send(message.payload()),
                        HandleOptions.builder().concurrency(8).timeout(Duration.ofSeconds(5)).build()))
                .doOnNext(outcome -> System.out.println(outcome.status() + " " + outcome.message().payload().to()))
                .take(2)
                .collectList()
                .block();

        broker.close().block();
        // --- README quick start ends ---
        return outcomes;
    }

    /** The job's payload. */
    public record Email(String to, String subject) {
    }

    static Mono<Void> send(Email email) {
        return Mono.fromRunnable(() -> System.out.println("sending '" + email.subject() + "' to " + email.to()));
    }

    /** Runs the quick start. */
    public static void main(String[] args) {
        run();
    }
}
