package io.rivulet.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service as a separate process: SIGTERM stops fetching, lets the message in flight finish, then
 * the process exits.
 */
class SigtermTest {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @Test
    void sigtermLetsInFlightWorkFinishBeforeExiting() throws Exception {
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target")).resolve("sigterm-test-service.log");
        Process service = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                WorkerServiceApplication.class.getName(),
                "--APP_PORT=" + port,
                "--rivulet.admin.token=sigterm-token",
                "--rivulet.worker.stop-timeout=20s"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                    .responseTimeout(Duration.ofSeconds(20)).build();
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> http.get().uri("/ready").exchange().returnResult(String.class).getStatus().value() == 200);
            ServiceClient client = new ServiceClient(http, "sigterm-token");
            client.publish("file.process", "in-flight", "{\"workMillis\":6000}");
            await().atMost(ServiceClient.PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get().uri("/admin/workers").exchange().expectStatus().isOk()
                            .expectBody(String.class).returnResult().getResponseBody()
                            .matches("(?s).*\"name\":\"file.process\"[^}]*\"inProgress\":1.*"));

            service.destroy(); // SIGTERM

            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("the service exits after SIGTERM").isTrue();
            String out = Files.readString(log);
            int stopping = out.indexOf("Stopping 16 workers");
            int finished = out.indexOf("[file.process] processed a file (message in-flight, attempt 1)");
            int stopped = out.indexOf("Workers stopped");
            int closed = out.indexOf("Closed the memory broker");
            assertThat(stopping).as("log: workers stopping\n%s", out).isPositive();
            assertThat(finished).as("log: in-flight message finished after the stop began\n%s", out)
                    .isGreaterThan(stopping);
            assertThat(stopped).as("log: workers stopped after the message finished\n%s", out).isGreaterThan(finished);
            assertThat(closed).as("log: broker closed last\n%s", out).isGreaterThan(stopped);
        } finally {
            service.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
