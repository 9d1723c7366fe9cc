package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Worker;
import io.rivulet.samples.service.web.ReadinessProbe.Readiness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code /ready} answers 503 once the broker is down, while {@code /healthz} stays up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rivulet.backend=memory")
@AutoConfigureWebTestClient
@DirtiesContext
class BrokerDownTest {

    @Autowired
    private WebTestClient http;

    @Autowired
    private Broker broker;

    @Test
    void readyAnswers503WhenTheBrokerIsDown() {
        http.get().uri("/ready").exchange().expectStatus().isOk();

        broker.close().block(Duration.ofSeconds(10));

        Readiness r = http.get().uri("/ready").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody(Readiness.class).returnResult().getResponseBody();
        assertThat(r.ready()).isFalse();
        assertThat(r.brokerReachable()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("memory broker is closed"));
        // A closed broker completes its consumers: they stop too.
        assertThat(r.consumers().values()).containsOnly(Worker.Status.STOPPED);
        http.get().uri("/healthz").exchange().expectStatus().isOk();
        http.get().uri("/metrics").exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text)
                        .containsPattern("rivulet_service_broker_reachable(\\{[^}]*})? 0")
                        .containsPattern("rivulet_service_consumers_running(\\{[^}]*})? 0"));
        http.post().uri("/orders").bodyValue(Map.of("sku", "book")).exchange()
                .expectStatus().isEqualTo(503);
    }
}
