package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The broker closes our connection in the middle of publishing and consuming
 * ({@code rabbitmqctl close_connection}): publishers and consumers recover by themselves and every
 * published message ends acked or dead-lettered.
 */
class RabbitRecoveryTest {

    private static final int MESSAGES = 1000;

    private Broker broker;
    private String topic;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close().block(Duration.ofSeconds(10));
        }
        if (topic != null) {
            RabbitTestSupport.deleteTopics(List.of(topic), RabbitTestSupport.TIERS);
        }
    }

    @Test
    void closedConnectionLosesNothingConfirmed() throws Exception {
        String name = "rivulet-recovery-" + UUID.randomUUID();
        broker = RabbitTestSupport.broker(RabbitTestSupport.options().connectionName(name).build());
        topic = "recovery." + UUID.randomUUID().toString().substring(0, 8);
        Queue<String> queue = broker.queue(topic, io.rivulet.core.kit.KitSupport.TEXT);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> deadLettered = ConcurrentHashMap.newKeySet();

        Disposable consumer = queue.consume(ConsumeOptions.builder().prefetch(20).build())
                .flatMap(d -> {
                    int n = Integer.parseInt(d.message().payload());
                    Mono<Void> settle = n % 50 == 0
                            ? d.deadLetter("multiple of 50").doOnSuccess(v -> deadLettered.add(d.message().id()))
                            : d.ack().doOnSuccess(v -> acked.add(d.message().id()));
                    return Mono.delay(Duration.ofMillis(1)).then(settle);
                }, 8)
                .subscribe();
        try {
            List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
            // The second half is published only once the connection was closed, so publishing
            // goes on across the reconnect whatever the machine's speed.
            Sinks.Empty<Void> closed = Sinks.empty();
            Flux<Integer> numbers = Flux.range(0, MESSAGES / 2).delayElements(Duration.ofMillis(2))
                    .concatWith(closed.asMono().thenMany(Flux.range(MESSAGES / 2, MESSAGES / 2)
                            .delayElements(Duration.ofMillis(1))));
            Disposable publisher = queue.publishAll(numbers
                            .map(n -> Message.builder(Integer.toString(n)).id("m-" + n).build()))
                    .map(PublishResult::id)
                    .subscribe(published::add);

            await("some messages published and handled", () -> published.size() > 100 && acked.size() > 50);
            closeConnection(name);
            assertThat(published.size()).as("published when the connection was closed").isLessThan(MESSAGES);
            closed.tryEmitEmpty();
            await("every message published", () -> published.size() == MESSAGES);
            await("every message acked or dead-lettered",
                    () -> union(acked, deadLettered).size() == MESSAGES);
            publisher.dispose();

            assertThat(union(acked, deadLettered)).containsAll(published);
            List<DeadLetter> dead = queue.deadLetters().list().collectList().block(Duration.ofSeconds(10));
            assertThat(dead.stream().map(DeadLetter::id).collect(Collectors.toSet()))
                    .containsAll(deadLettered);
            assertThat(deadLettered).hasSize(MESSAGES / 50);
        } finally {
            consumer.dispose();
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }

    /** Closes the broker side of our own connection, found by its unique name. */
    static void closeConnection(String connectionName) throws IOException, InterruptedException {
        String pid = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pid == null) {
            String listing = run("/usr/sbin/rabbitmqctl", "-q", "list_connections", "--no-table-headers",
                    "pid", "client_properties");
            for (String line : listing.split("\n")) {
                if (line.contains("{\"connection_name\",\"" + connectionName + "\"}")) {
                    pid = line.substring(0, line.indexOf('\t')).trim();
                }
            }
            if (pid == null && System.nanoTime() > deadline) {
                throw new AssertionError("Connection " + connectionName + " not listed by rabbitmqctl");
            }
        }
        run("/usr/sbin/rabbitmqctl", "-q", "close_connection", pid, "rivulet recovery test");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
