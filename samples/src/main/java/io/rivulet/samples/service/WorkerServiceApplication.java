package io.rivulet.samples.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Rivulet worker service: consumes the gateway topics with a handler each, runs the order and
 * user demos, and serves {@code /healthz}, {@code /ready}, {@code /metrics}, the admin API and live
 * event streams over Spring WebFlux, on port 8084 ({@code APP_PORT}). The backend comes from
 * {@code RIVULET_BACKEND} (default {@code memory}). See {@code docs/samples.md}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerServiceApplication {

    /** Starts the service; SIGTERM stops it gracefully. */
    public static void main(String[] args) {
        SpringApplication.run(WorkerServiceApplication.class, args);
    }
}
