package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import io.rivulet.samples.service.events.ProcessedEvent.Kind;
import io.rivulet.samples.service.worker.WorkerService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Stopping the service (what SIGTERM does, through Spring's shutdown hook and the workers'
 * lifecycle) stops fetching at once, lets in-flight work finish within the stop timeout and returns
 * what could not finish to its queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rivulet.backend=memory",
        "rivulet.admin.token=" + GracefulStopTest.TOKEN,
        "rivulet.worker.stop-timeout=4s",
        "rivulet.worker.concurrency-per-topic[file.process]=2",
})
@AutoConfigureWebTestClient
@DirtiesContext
class GracefulStopTest {

    static final String TOKEN = "stop-test-token";

    @Autowired
    private WebTestClient webTestClient;

    @Autowired
    private WorkerService workers;

    @Autowired
    private Broker broker;

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void stopFinishesShortWorkReturnsLongWorkAndFetchesNothingNew() {
        ServiceClient client = new ServiceClient(webTestClient, TOKEN);
        // Both in one go, so that both are in flight together however loaded the machine is.
        broker.queue("file.process", Codec.bytes()).publishAll(Flux.just(
                        Message.builder(bytes("{\"workMillis\":2500}")).id("short").build(),
                        Message.builder(bytes("{\"workMillis\":60000}")).id("long").build()))
                .then().block(ServiceClient.PATIENCE);
        await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> workers.stats("file.process").inProgress() == 2);

        Sinks.Empty<Void> stopped = Sinks.empty();
        long start = System.nanoTime();
        workers.stop(() -> stopped.tryEmitEmpty());
        client.publish("file.process", "after-stop", "{}");

        StepVerifier.create(stopped.asMono()).expectComplete().verify(ServiceClient.PATIENCE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(4)).isLessThan(Duration.ofSeconds(20));
        assertThat(client.eventsOf("file.process", "short")).extracting(e -> e.kind()).containsExactly(Kind.HANDLED);
        assertThat(client.eventsOf("file.process", "long")).extracting(e -> e.kind()).doesNotContain(Kind.HANDLED);
        assertThat(client.eventsOf("file.process", "after-stop")).isEmpty();
        QueueStats stats = client.stats("file.process");
        assertThat(stats.completed()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
        // 'long' was returned (as a retry, which may pass through the delayed set), 'after-stop' never fetched.
        assertThat(stats.ready() + stats.delayed()).isEqualTo(2);
        webTestClient.get().uri("/ready").exchange().expectStatus().isEqualTo(503);
    }
}
