package io.rivulet.samples.service.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The probes and metrics: {@code GET /healthz} (the process is up: liveness), {@code GET /ready}
 * (every consumer running and the broker reachable, else 503: readiness) and {@code GET /metrics}
 * (Prometheus text).
 */
@RestController
public class HealthController {

    /** The Prometheus text exposition format's content type. */
    public static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType("text/plain;version=0.0.4;charset=utf-8");

    private final ReadinessProbe readiness;
    private final PrometheusMeterRegistry registry;

    /** The probes of {@code readiness}, the metrics of {@code registry}. */
    public HealthController(ReadinessProbe readiness, PrometheusMeterRegistry registry) {
        this.readiness = readiness;
        this.registry = registry;
    }

    /** 200 while the process serves HTTP. */
    @GetMapping("/healthz")
    public Map<String, String> healthz() {
        return Map.of("status", "UP");
    }

    /** 200 with the consumers' statuses when ready; 503 with the problems when not. */
    @GetMapping("/ready")
    public Mono<ResponseEntity<ReadinessProbe.Readiness>> ready() {
        return readiness.check().map(r -> ResponseEntity
                .status(r.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(r));
    }

    /** Every meter in Prometheus text format. */
    @GetMapping("/metrics")
    public ResponseEntity<String> metrics() {
        return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).body(registry.scrape());
    }
}
