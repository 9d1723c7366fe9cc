package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The README's "point Rivulet at RabbitMQ" snippet, compiled and run against the local broker. */
class RabbitReadmeExampleTest {

    record Email(String to, String subject) {
    }

    @Test
    void readmeSnippetPublishesAndHandlesAnEmail() {
        String topic = "email.send." + UUID.randomUUID().toString().substring(0, 8);
        // --- README snippet ---
        Broker broker = RabbitBroker.create(RabbitOptions.builder()
                .uri("amqp://guest:guest@127.0.0.1:5672/")      // or host/port/virtualHost/username/password
                .prefetch(256)                                  // ceiling of each consumer's basic.qos
                .confirmTimeout(Duration.ofSeconds(30))          // a publish fails if not confirmed by then
                .delayTiers(List.of(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1)))
                .build());
        Queue<Email> emails = broker.queue(topic, Email.class);

        emails.publish(new Email("ada@example.com", "Welcome")).block();   // completes once confirmed
        List<Outcome<Email>> outcomes = emails.consume()
                .transform(Handle.concurrently(message -> Mono.empty(),
                        HandleOptions.builder().concurrency(8).build()))
                .take(1)
                .collectList()
                .block();
        broker.close().block();
        // --- end of snippet ---
        RabbitTestSupport.deleteTopics(List.of(topic), List.of(Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofHours(1)));
        assertThat(outcomes).extracting(Outcome::status).containsExactly(Outcome.Status.ACKED);
    }
}
