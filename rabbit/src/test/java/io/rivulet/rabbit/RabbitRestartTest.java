package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.Queue;
import io.rivulet.core.kit.KitSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The broker restarts ({@code rabbitmqctl stop_app} / {@code start_app}) while we publish and
 * consume: persistent messages in durable queues survive, the connection, publisher and consumer
 * recover by themselves, and every published message is acked. The broker is always started again
 * (finally) and the test waits until it accepts connections, as others share it.
 */
class RabbitRestartTest {

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
    void brokerRestartLosesNothingConfirmed() throws Exception {
        broker = RabbitTestSupport.broker(RabbitTestSupport.options().confirmTimeout(Duration.ofSeconds(90)).build());
        topic = "restart." + UUID.randomUUID().toString().substring(0, 8);
        Queue<String> queue = broker.queue(topic, KitSupport.TEXT);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> published = new CopyOnWriteArrayList<>();
        Disposable consumer = queue.consume(ConsumeOptions.builder().prefetch(10).build())
                .concatMap(d -> Mono.delay(Duration.ofMillis(2)).then(d.ack()).doOnSuccess(v -> acked.add(d.message().id())))
                .subscribe();
        Disposable publisher = queue.publishAll(Flux.range(0, MESSAGES)
                        .delayElements(Duration.ofMillis(10))
                        .map(n -> Message.builder(Integer.toString(n)).id("r-" + n).build()))
                .map(PublishResult::id)
                .subscribe(published::add);
        try {
            await("some messages published and acked", Duration.ofSeconds(30),
                    () -> published.size() > 50 && acked.size() > 20);
            int beforeRestart;
            try {
                rabbitmqctl("stop_app");
                beforeRestart = published.size();
            } finally {
                rabbitmqctl("start_app");
                rabbitmqctl("await_startup");
            }
            assertThat(beforeRestart).as("published before the restart").isLessThan(MESSAGES);
            await("every message published", Duration.ofSeconds(90), () -> published.size() == MESSAGES);
            await("every message acked", Duration.ofSeconds(60), () -> acked.size() == MESSAGES);
            assertThat(acked).containsAll(published);
        } finally {
            publisher.dispose();
            consumer.dispose();
        }
    }

    private static void await(String what, Duration patience, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/sbin/rabbitmqctl", "-q", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + command + " failed: " + out);
        }
    }
}
