package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.samples.service.web.ReadinessProbe.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With a lazily connecting backend pointed at a port nobody listens on ({@link #CLOSED_PORT}; a
 * subclass sets the backend and its address), the service still starts: {@code /healthz} is up and
 * {@code /ready} answers 503 with a problem naming the broker and its address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rivulet.ready-timeout=1s")
@AutoConfigureWebTestClient
@DirtiesContext
abstract class UnreachableBrokerTest {

    static final int CLOSED_PORT = freePort();

    @Autowired
    private WebTestClient http;

    /** The backend the subclass configures. */
    abstract String backend();

    @Test
    void readyAnswers503NamingTheUnreachableBroker() {
        http.get().uri("/healthz").exchange().expectStatus().isOk();

        Readiness r = http.mutate().responseTimeout(Duration.ofSeconds(20)).build()
                .get().uri("/ready").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody(Readiness.class).returnResult().getResponseBody();
        assertThat(r.ready()).isFalse();
        assertThat(r.backend()).isEqualTo(backend());
        assertThat(r.brokerReachable()).isFalse();
        assertThat(r.problems())
                .anySatisfy(p -> assertThat(p).contains(backend() + " broker at 127.0.0.1:" + CLOSED_PORT));
        http.get().uri("/metrics").exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text)
                        .containsPattern("rivulet_service_broker_reachable(\\{[^}]*})? 0"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
