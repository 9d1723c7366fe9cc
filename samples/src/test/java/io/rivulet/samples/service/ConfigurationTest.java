package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rivulet.samples.service.config.BackendFailureAnalyzer;
import io.rivulet.samples.service.config.BrokerFactory;
import io.rivulet.samples.service.config.ServiceProperties;
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
    void everyBackendIsAvailable() {
        assertThat(BrokerFactory.availableBackends()).containsExactly("memory", "redis", "kafka", "rabbit");
        assertThat(BrokerFactory.KNOWN).containsExactly("memory", "redis", "kafka", "rabbit");
    }

    @Test
    void unknownBackendStopsStartupNamingTheOptionAndTheValidValues() {
        assertStartupFails(start("rivulet.backend=mongodb"), "rivulet.backend (RIVULET_BACKEND) is 'mongodb', which is "
                + "not a Rivulet backend. Valid values: memory, redis, kafka, rabbit.");
    }

    @Test
    void startupReportSaysWhatToDoAboutTheBackend() {
        Throwable thrown = catchThrowable(start("RIVULET_BACKEND=Mongo"));
        FailureAnalysis analysis = new BackendFailureAnalyzer().analyze(thrown);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("is 'mongo', which is not a Rivulet backend");
        assertThat(analysis.getAction()).isEqualTo(
                "Set RIVULET_BACKEND (or the property rivulet.backend) to one of: memory, redis, kafka, rabbit.");
    }

    @Test
    void malformedKafkaBootstrapStopsStartupNamingTheVariable() {
        assertStartupFails(start("rivulet.backend=kafka", "KAFKA_BOOTSTRAP=kafka.internal"),
                "rivulet.kafka.bootstrap (KAFKA_BOOTSTRAP): KafkaOptions.bootstrapServers must be host:port");
    }

    @Test
    void badRabbitUriStopsStartupWithoutShowingTheCredentials() {
        Throwable thrown = catchThrowable(start("rivulet.backend=rabbit", "RABBIT_URI=http://app:s3cret@mq:5672/"));
        assertThat(rootCause(thrown).getMessage()).contains("rivulet.rabbit.uri (RABBIT_URI) must start with amqp://")
                .doesNotContain("s3cret");
    }

    @Test
    void unreachableRabbitStopsStartupNamingTheAddressButNotThePassword() throws IOException {
        int port = freePort();
        Throwable thrown = catchThrowable(start("rivulet.backend=rabbit",
                "RABBIT_URI=amqp://guest:s3cret@127.0.0.1:" + port + "/%2f"));
        assertThat(thrown).isNotNull();
        String all = messages(thrown);
        assertThat(all).contains("127.0.0.1:" + port).doesNotContain("s3cret");
    }

    @Test
    void redisPasswordIsNeverShown() {
        ServiceProperties.Redis redis = new ServiceProperties.Redis("cache", 6379, "s3cret", "rivulet:");
        assertThat(redis.toString()).doesNotContain("s3cret").contains("<hidden>");
        assertThat(BrokerFactory.redisOptions(redis).toString()).doesNotContain("s3cret");
        assertThat(new ServiceProperties.Redis("cache", 6379, "", "rivulet:").password()).isNull();
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

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
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
