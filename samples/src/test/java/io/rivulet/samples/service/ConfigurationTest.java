package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rivulet.samples.service.config.BackendFailureAnalyzer;
import io.rivulet.samples.service.config.BrokerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Backend selection, bad configuration and the environment variables the service reads. */
class ConfigurationTest {

    @Test
    void onlyTheMemoryBackendIsAvailableSoFar() {
        assertThat(BrokerFactory.availableBackends()).containsExactly("memory");
        assertThat(BrokerFactory.KNOWN).containsExactly("memory", "redis", "kafka", "rabbit");
    }

    @Test
    void unknownBackendStopsStartupNamingTheOptionAndTheValidValues() {
        assertStartupFails(start("rivulet.backend=mongodb"),
                "rivulet.backend (RIVULET_BACKEND) is 'mongodb', which is not a Rivulet backend. Valid values: memory.");
    }

    @Test
    void startupReportSaysWhatToDoAboutTheBackend() {
        Throwable thrown = catchThrowable(start("rivulet.backend=kafka"));
        FailureAnalysis analysis = new BackendFailureAnalyzer().analyze(thrown);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("the kafka backend is not available in this build yet");
        assertThat(analysis.getAction())
                .isEqualTo("Set RIVULET_BACKEND (or the property rivulet.backend) to one of: memory.");
    }

    @Test
    void backendNotInThisBuildStopsStartupSayingSo() {
        assertStartupFails(start("rivulet.backend=redis"),
                "the redis backend is not available in this build yet. Valid values: memory.");
    }

    @Test
    void badWorkerSettingStopsStartupNamingTheProperty() {
        assertStartupFails(start("rivulet.worker.concurrency=0"), "rivulet.worker.concurrency must be at least 1, was 0");
        assertStartupFails(start("rivulet.worker.stop-timeout=0s"), "rivulet.worker.stop-timeout must be positive");
        assertStartupFails(start("REDIS_PORT=70000"), "rivulet.redis.port (REDIS_PORT) must be between 1 and 65535");
    }

    @Test
    void appPortSetsThePortAndWithoutATokenAdminChangesAreRefused() throws IOException {
        int port = freePort();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WorkerServiceApplication.class)
                .run("--APP_PORT=" + port, "--ADMIN_TOKEN=")) {
            assertThat(((WebServerApplicationContext) app).getWebServer().getPort()).isEqualTo(port);
            WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                    .responseTimeout(Duration.ofSeconds(20)).build();
            http.get().uri("/healthz").exchange().expectStatus().isOk();
            http.delete().uri("/admin/queues/email.send/dead-letters").exchange().expectStatus().isUnauthorized();
            http.delete().uri("/admin/queues/email.send/dead-letters")
                    .headers(h -> h.setBearerAuth("anything"))
                    .exchange()
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                            .contains("no rivulet.admin.token (ADMIN_TOKEN) is configured"));
            http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("sku", "book")).exchange()
                    .expectStatus().isAccepted();
        }
    }

    private static ThrowingCallable start(String... properties) {
        // As command-line arguments: they override application.yml, as the environment does.
        return () -> {
            String[] args = new String[properties.length + 1];
            for (int i = 0; i < properties.length; i++) {
                args[i] = "--" + properties[i];
            }
            args[properties.length] = "--server.port=0";
            new SpringApplicationBuilder(WorkerServiceApplication.class).run(args).close();
        };
    }

    private static void assertStartupFails(ThrowingCallable start, String message) {
        assertThatThrownBy(start).satisfies(e -> assertThat(rootCause(e).getMessage()).contains(message));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
