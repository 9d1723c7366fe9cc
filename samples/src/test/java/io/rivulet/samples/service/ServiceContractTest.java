package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.rivulet.core.PublishResult;
import io.rivulet.core.QueueStats;
import io.rivulet.core.Worker;
import io.rivulet.samples.service.events.ProcessedEvent;
import io.rivulet.samples.service.events.ProcessedEvent.Kind;
import io.rivulet.samples.service.orders.Order;
import io.rivulet.samples.service.web.AdminController.DeadLetterView;
import io.rivulet.samples.service.web.ReadinessProbe.Readiness;
import io.rivulet.samples.service.worker.GatewayHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The worker service's contract over HTTP, for any backend: a subclass picks the backend with
 * {@code @TestPropertySource(properties = "rivulet.backend=...")} (see {@link MemoryServiceTest}).
 * Tests share one application and keep out of each other's way by their own ids, SKUs and topics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rivulet.admin.token=" + ServiceContractTest.TOKEN,
        "rivulet.demo.payment-timeout=" + ServiceContractTest.PAYMENT_TIMEOUT_SECONDS + "s",
        "rivulet.worker.initial-backoff=50ms",
        "rivulet.worker.topics=order.reminder,user.notification,system.cleanup,payment.retry,inventory.alert,"
                + "email.send,sms.send,push.notification,file.process,data.sync," + ServiceContractTest.UNKNOWN_TOPIC,
})
@AutoConfigureWebTestClient
abstract class ServiceContractTest {

    static final String TOKEN = "test-admin-token";
    static final String UNKNOWN_TOPIC = "audit.unknown";
    // Long enough for a test to pay in time on a loaded machine, short enough to wait for a cancel.
    static final int PAYMENT_TIMEOUT_SECONDS = 3;

    @Autowired
    private WebTestClient webTestClient;

    ServiceClient client;

    @BeforeEach
    void client() {
        client = new ServiceClient(webTestClient, TOKEN);
    }

    @Test
    void healthzSaysUp() {
        client.http().get().uri("/healthz").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void readyListsEveryConsumerRunning() {
        Readiness r = client.http().get().uri("/ready").exchange()
                .expectStatus().isOk()
                .expectBody(Readiness.class).returnResult().getResponseBody();
        assertThat(r.ready()).isTrue();
        assertThat(r.brokerReachable()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.consumers().keySet())
                .containsAll(GatewayHandlers.TOPICS.keySet())
                .contains(UNKNOWN_TOPIC, "order.created", "order.payment.check", "order.paid", "user.registered",
                        "user.registered.welcome-email", "user.registered.user-preferences");
        assertThat(r.consumers().values()).containsOnly(Worker.Status.RUNNING);
    }

    @Test
    void paidOrderFlowsToCompletion() {
        int before = client.stock("lamp");
        Order placed = client.placeOrder("lamp", 2);
        assertThat(placed.status()).isEqualTo(Order.Status.CREATED);

        client.awaitOrder(placed.id(), Order.Status.AWAITING_PAYMENT);
        client.http().post().uri("/orders/{id}/pay", placed.id()).exchange()
                .expectStatus().isAccepted()
                .expectBody(Order.class).value(o -> assertThat(o.status()).isIn(Order.Status.PAID, Order.Status.COMPLETED));

        client.awaitOrder(placed.id(), Order.Status.COMPLETED);
        client.http().get().uri("/orders").exchange()
                .expectStatus().isOk()
                .expectBodyList(Order.class).value(all -> assertThat(all).extracting(Order::id).contains(placed.id()));
        client.awaitEvents("email.send", "receipt-" + placed.id(), events -> hasKind(events, Kind.HANDLED));
        assertThat(client.stock("lamp")).isEqualTo(before - 2);

        client.http().post().uri("/orders/{id}/pay", placed.id()).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("COMPLETED"));
    }

    @Test
    void unpaidOrderIsCancelledAndItsStockRestored() {
        int before = client.stock("mug");
        Order placed = client.placeOrder("mug", 3);
        ProcessedEvent reserved = client.awaitEvents("order.created", placed.id(), e -> hasKind(e, Kind.HANDLED))
                .stream().filter(e -> e.kind() == Kind.HANDLED).findFirst().orElseThrow();
        assertThat(reserved.detail()).startsWith("reserved 3 x mug");

        Order cancelled = client.awaitOrder(placed.id(), Order.Status.CANCELLED);
        assertThat(cancelled.note()).contains("not paid");
        // The check was published (delayed by the window) just before the reservation was reported.
        assertThat(Duration.between(reserved.at(), cancelled.updatedAt()))
                .as("cancelled only once the payment window passed")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(PAYMENT_TIMEOUT_SECONDS).minusMillis(200));
        assertThat(client.stock("mug")).isEqualTo(before);
        client.awaitEvents("user.notification", "cancelled-" + placed.id(), events -> hasKind(events, Kind.HANDLED));

        client.http().post().uri("/orders/{id}/pay", placed.id()).exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void poisonOrderIsRetriedThenDeadLetteredThenReplayed() {
        Order poison = client.placeOrder("poison", 1);

        DeadLetterView dead = client.awaitDeadLetter("order.created", poison.id(), d -> true);
        assertThat(dead.reason()).isEqualTo("max attempts exhausted");
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.errorMessage()).contains("warehouse");
        assertThat(dead.replays()).isZero();
        assertThat(dead.payload()).isNull();
        List<ProcessedEvent> events = client.awaitEvents("order.created", poison.id(), e -> hasKind(e, Kind.DEAD_LETTERED));
        assertThat(events).filteredOn(e -> e.kind() == Kind.ATTEMPT_FAILED).extracting(ProcessedEvent::attempt)
                .containsExactly(1, 2, 3);
        assertThat(client.order(poison.id()).status()).isEqualTo(Order.Status.CREATED);

        client.admin("POST", "/admin/queues/order.created/dead-letters/" + poison.id() + "/replay", TOKEN)
                .expectStatus().isOk()
                .expectBody().jsonPath("$.replayed").isEqualTo(1);

        DeadLetterView again = client.awaitDeadLetter("order.created", poison.id(), d -> d.replays() == 1);
        assertThat(again.attempts()).isEqualTo(3);
        assertThat(client.eventsOf("order.created", poison.id()))
                .filteredOn(e -> e.kind() == Kind.ATTEMPT_FAILED).extracting(ProcessedEvent::attempt)
                .containsExactly(1, 2, 3, 1, 2, 3);
        client.admin("POST", "/admin/queues/order.created/dead-letters/no-such-id/replay", TOKEN)
                .expectStatus().isNotFound();
    }

    @Test
    void userRegisteredFansOutToWelcomeEmailAndPreferences() {
        String userId = client.http().post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada", "email", "ada@example.com"))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() { })
                .returnResult().getResponseBody().get("id");

        client.awaitEvents("user.registered.welcome-email", userId + ".welcome-email", e -> hasKind(e, Kind.HANDLED));
        client.awaitEvents("user.registered.user-preferences", userId + ".user-preferences",
                e -> hasKind(e, Kind.HANDLED));
        client.awaitEvents("email.send", "welcome-" + userId, e -> hasKind(e, Kind.HANDLED));
        client.http().get().uri("/users/{id}/preferences", userId).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.language").isEqualTo("en");
    }

    @Test
    void everyGatewayTopicHasAHandlerThatDoesItsJob() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        GatewayHandlers.TOPICS.keySet().forEach(topic -> client.publish(topic, topic + "-" + run, "{\"n\":1}"));
        GatewayHandlers.TOPICS.forEach((topic, did) -> {
            List<ProcessedEvent> events = client.awaitEvents(topic, topic + "-" + run, e -> hasKind(e, Kind.HANDLED));
            assertThat(events).extracting(ProcessedEvent::detail).contains(did);
        });
    }

    @Test
    void configuredTopicWithoutHandlerGoesToTheDefaultHandler() {
        String id = "unknown-" + UUID.randomUUID();
        client.publish(UNKNOWN_TOPIC, id, "not even JSON");
        List<ProcessedEvent> events = client.awaitEvents(UNKNOWN_TOPIC, id, e -> hasKind(e, Kind.HANDLED));
        assertThat(events.get(0).detail()).contains("no handler for topic '" + UNKNOWN_TOPIC + "'");
    }

    @Test
    void temporaryFailuresAreRetriedUntilTheHandlerSucceeds() {
        String id = "sync-" + UUID.randomUUID();
        client.publish("data.sync", id, "{\"failTimes\":2}");
        List<ProcessedEvent> events = client.awaitEvents("data.sync", id, e -> hasKind(e, Kind.HANDLED));
        assertThat(events).extracting(ProcessedEvent::kind, ProcessedEvent::attempt).containsExactly(
                tuple(Kind.ATTEMPT_FAILED, 1),
                tuple(Kind.ATTEMPT_FAILED, 2),
                tuple(Kind.HANDLED, 3));
    }

    @Test
    void deadLettersAreListedWithPayloadOnlyWithTokenAndPurged() {
        String id = "sms-" + UUID.randomUUID();
        client.publish("sms.send", id, "{\"fail\":\"permanent\"}");
        DeadLetterView dead = client.awaitDeadLetter("sms.send", id, d -> true);
        assertThat(dead.reason()).isEqualTo("permanent failure");
        assertThat(dead.attempts()).isEqualTo(1);

        client.admin("GET", "/admin/queues/sms.send/dead-letters?payload=true", null).expectStatus().isUnauthorized();
        client.admin("GET", "/admin/queues/sms.send/dead-letters?payload=1", null).expectStatus().isUnauthorized();
        client.admin("GET", "/admin/queues/sms.send/dead-letters?payload=false", null).expectStatus().isOk();
        client.admin("GET", "/admin/queues/sms.send/dead-letters?payload=true", TOKEN).expectStatus().isOk()
                .expectBodyList(DeadLetterView.class)
                .value(list -> assertThat(list).filteredOn(d -> d.id().equals(id)).extracting(DeadLetterView::payload)
                        .containsExactly("{\"fail\":\"permanent\"}"));

        client.admin("DELETE", "/admin/queues/sms.send/dead-letters", TOKEN).expectStatus().isOk()
                .expectBody().jsonPath("$.purged").value(n -> assertThat(((Number) n).longValue()).isPositive());
        assertThat(client.deadLetters("sms.send")).isEmpty();
    }

    @Test
    void clearDeletesWaitingMessagesOfAQueue() {
        String topic = "audit.backlog";
        client.http().post().uri("/admin/queues/{t}/messages?delayMillis=600000", topic)
                .headers(h -> h.setBearerAuth(TOKEN)).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted();
        assertThat(client.stats(topic).delayed()).isEqualTo(1);

        client.admin("DELETE", "/admin/queues/" + topic + "/messages", TOKEN).expectStatus().isOk()
                .expectBody().jsonPath("$.cleared").isEqualTo(1);
        assertThat(client.stats(topic).pending()).isZero();
    }

    @Test
    void adminListsEveryQueueWithItsStats() {
        client.placeOrder("book", 1);
        List<QueueStats> queues = client.http().get().uri("/admin/queues").exchange()
                .expectStatus().isOk()
                .expectBodyList(QueueStats.class).returnResult().getResponseBody();
        assertThat(queues).extracting(QueueStats::topic).contains("order.created", "email.send");
        client.http().get().uri("/admin/workers").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.name == 'order.created')].status").isEqualTo(List.of("RUNNING"));
    }

    @Test
    void adminCallsThatChangeDataNeedTheToken() {
        String replay = "/admin/queues/email.send/dead-letters/replay";
        client.admin("POST", replay, null)
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"rivulet-admin\"")
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("ADMIN_TOKEN"));
        client.admin("POST", replay, "wrong-token").expectStatus().isForbidden();
        client.admin("DELETE", "/admin/queues/email.send/dead-letters", "wrong-token").expectStatus().isForbidden();
        client.admin("DELETE", "/admin/queues/email.send/messages", null).expectStatus().isUnauthorized();
        client.admin("POST", "/admin/queues/email.send/messages", "wrong-token").expectStatus().isForbidden();
        client.admin("POST", "/admin;v=1/queues/email.send/dead-letters/replay", null).expectStatus().isUnauthorized();
        client.admin("POST", replay, TOKEN).expectStatus().isOk();
        client.admin("GET", "/admin/queues", null).expectStatus().isOk();
    }

    @Test
    void metricsExposeRivuletMetersInPrometheusText() {
        Order order = client.placeOrder("book", 1);
        client.awaitOrderLeaving(order.id(), Order.Status.CREATED);
        // The order leaves CREATED inside the handler; its ack, and the acked counter, come after
        // the handler returns (asynchronously on a remote backend): wait for the counter.
        String text = await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(this::metricsText, t -> ACKED_ORDER.matcher(t).find());
        assertThat(text)
                .contains("rivulet_messages_published_total{")
                .contains("rivulet_messages_consumed_total{")
                .contains("rivulet_messages_acked_total{")
                .contains("rivulet_messages_nacked_total{")
                .contains("rivulet_messages_dead_lettered_total{")
                .contains("rivulet_handler_duration_seconds_bucket{")
                .contains("rivulet_queue_depth{")
                .contains("rivulet_broker_up{")
                .contains("rivulet_service_broker_reachable")
                .contains("rivulet_service_consumers_running");
        assertThat(text).containsPattern("rivulet_broker_up\\{[^}]*} 1");
    }

    private static final Pattern ACKED_ORDER =
            Pattern.compile("rivulet_messages_acked_total\\{[^}]*topic=\"order.created\"[^}]*} [1-9]");

    private String metricsText() {
        return client.http().get().uri("/metrics").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void queueStatsStreamAsServerSentEvents() {
        Flux<ServerSentEvent<QueueStats>> stream = client.http().get()
                .uri("/admin/queues/order.created/stats/stream?intervalMillis=100")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<QueueStats>>() { })
                .getResponseBody();
        StepVerifier.create(stream.take(3))
                .expectNextMatches(e -> "stats".equals(e.event()) && e.data().topic().equals("order.created"))
                .expectNextCount(2)
                .expectComplete()
                .verify(ServiceClient.PATIENCE);
    }

    @Test
    void processedEventsStreamLiveAsServerSentEvents() {
        Flux<ServerSentEvent<ProcessedEvent>> stream = client.http().get()
                .uri("/events?topic=push.notification")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<ProcessedEvent>>() { })
                .getResponseBody();
        String run = "push-" + UUID.randomUUID();
        // The stream is hot: keep publishing until the subscription is surely in place. The client
        // blocks, so it runs on a thread made for blocking.
        Disposable publishing = Flux.interval(Duration.ZERO, Duration.ofMillis(200), Schedulers.boundedElastic())
                .take(100)
                .subscribe(i -> client.publish("push.notification", run + "-" + i, "{}"),
                        e -> { }); // dispose() interrupts a publish in progress; no event would fail the test

        try {
            StepVerifier.create(stream.filter(e -> e.data() != null).take(1))
                    .expectNextMatches(e -> e.data().topic().equals("push.notification")
                            && e.data().messageId().startsWith(run)
                            && e.data().kind() == Kind.HANDLED
                            && "HANDLED".equals(e.event()))
                    .expectComplete()
                    .verify(ServiceClient.PATIENCE);
        } finally {
            publishing.dispose();
        }
    }

    @Test
    void ndjsonUploadIsPublishedAndConfirmedLineByLine() {
        List<PublishResult> results = client.http().post().uri("/admin/queues/data.sync/messages")
                .headers(h -> h.setBearerAuth(TOKEN))
                .contentType(MediaType.APPLICATION_NDJSON)
                .accept(MediaType.APPLICATION_NDJSON)
                .bodyValue("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
                .exchange()
                .expectStatus().isOk()
                .expectBodyList(PublishResult.class).returnResult().getResponseBody();
        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo("data.sync");
            assertThat(r.duplicate()).isFalse();
        });
        results.forEach(r -> client.awaitEvents("data.sync", r.id(), e -> hasKind(e, Kind.HANDLED)));
        client.http().post().uri("/admin/queues/data.sync/messages").contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue("{}\n").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void badRequestsGetClearErrors() {
        client.http().post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", "unicorn", "quantity", 1)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("sku must be one of"));
        client.http().post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", "book", "quantity", 0)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("quantity"));
        client.http().get().uri("/orders/o-nope").exchange().expectStatus().isNotFound();
        client.http().post().uri("/orders/o-nope/pay").exchange().expectStatus().isNotFound();
        client.http().get().uri("/admin/queues/bad topic!").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("topic"));
        client.http().post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Bob", "email", "not-an-address")).exchange()
                .expectStatus().isBadRequest();
    }

    private static boolean hasKind(List<ProcessedEvent> events, Kind kind) {
        return events.stream().anyMatch(e -> e.kind() == kind);
    }
}
