package io.rivulet.samples.service;

import static org.awaitility.Awaitility.await;

import io.rivulet.core.QueueStats;
import io.rivulet.samples.service.events.ProcessedEvent;
import io.rivulet.samples.service.orders.Order;
import io.rivulet.samples.service.web.AdminController.DeadLetterView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service's HTTP API as the tests use it, with bounded waits on conditions (never sleeps). */
final class ServiceClient {

    /** How long any condition may take to become true. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final WebTestClient http;
    private final String token;

    ServiceClient(WebTestClient http, String token) {
        this.http = http.mutate().responseTimeout(PATIENCE)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .build();
        this.token = token;
    }

    WebTestClient http() {
        return http;
    }

    Order placeOrder(String sku, int quantity) {
        return http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", sku, "quantity", quantity))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(Order.class).returnResult().getResponseBody();
    }

    Order order(String id) {
        return http.get().uri("/orders/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody(Order.class).returnResult().getResponseBody();
    }

    Order awaitOrder(String id, Order.Status status) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> order(id), o -> o.status() == status);
    }

    Order awaitOrderLeaving(String id, Order.Status status) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> order(id), o -> o.status() != status);
    }

    int stock(String sku) {
        Map<String, Integer> stock = http.get().uri("/inventory").exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Integer>>() { })
                .returnResult().getResponseBody();
        return Objects.requireNonNull(stock).get(sku);
    }

    List<ProcessedEvent> events(String topic) {
        return http.get().uri(b -> b.path("/events/recent").queryParam("topic", topic).queryParam("limit", 1000).build())
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(ProcessedEvent.class).returnResult().getResponseBody();
    }

    List<ProcessedEvent> eventsOf(String topic, String messageId) {
        return events(topic).stream().filter(e -> e.messageId().equals(messageId)).toList();
    }

    /** Waits until the events of {@code messageId} on {@code topic} satisfy {@code condition}; returns them. */
    List<ProcessedEvent> awaitEvents(String topic, String messageId, Predicate<List<ProcessedEvent>> condition) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> eventsOf(topic, messageId), condition::test);
    }

    List<DeadLetterView> deadLetters(String topic) {
        return http.get().uri("/admin/queues/{topic}/dead-letters", topic).exchange()
                .expectStatus().isOk()
                .expectBodyList(DeadLetterView.class).returnResult().getResponseBody();
    }

    DeadLetterView awaitDeadLetter(String topic, String id, Predicate<DeadLetterView> condition) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> deadLetters(topic).stream().filter(d -> d.id().equals(id) && condition.test(d))
                        .findFirst().orElse(null), Objects::nonNull);
    }

    QueueStats stats(String topic) {
        return http.get().uri("/admin/queues/{topic}", topic).exchange()
                .expectStatus().isOk()
                .expectBody(QueueStats.class).returnResult().getResponseBody();
    }

    /** Publishes {@code json} to {@code topic} through the admin API with message id {@code id}. */
    void publish(String topic, String id, String json) {
        http.post().uri(b -> b.path("/admin/queues/{topic}/messages").queryParam("id", id).build(topic))
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus().isAccepted();
    }

    WebTestClient.ResponseSpec admin(String method, String uri, String bearer) {
        WebTestClient.RequestBodySpec spec = http.method(HttpMethod.valueOf(method)).uri(uri);
        if (bearer != null) {
            spec.headers(h -> h.setBearerAuth(bearer));
        }
        return spec.exchange();
    }

    String token() {
        return token;
    }
}
